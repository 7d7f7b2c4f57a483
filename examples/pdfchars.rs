// scratch: not committed
use pdf_extract::*;
struct C {
    n: usize,
    shown: usize,
}
impl OutputDev for C {
    fn begin_page(
        &mut self,
        _: u32,
        _: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _s: f64,
        size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        self.n += 1;
        if self.shown < 15 {
            self.shown += 1;
            println!(
                "{text:?} size {size} width {width} trm {:?}",
                (trm.m11, trm.m12, trm.m21, trm.m22, trm.m31, trm.m32)
            );
        }
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let doc = lopdf::Document::load_mem(&std::fs::read(&path).unwrap()).unwrap();
    let mut c = C { n: 0, shown: 0 };
    let r = output_doc(&doc, &mut c);
    println!("{r:?} chars {}", c.n);
}
