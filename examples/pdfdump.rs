// scratch: not committed
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    for (n, id) in doc.get_pages() {
        let page = doc.get_dictionary(id).unwrap();
        println!("page {n} {id:?}: {:?}", page);
        let content = doc.get_page_content(id).unwrap();
        println!(
            "content {} bytes: {}",
            content.len(),
            String::from_utf8_lossy(&content[..content.len()])
        );
        let ops = lopdf::content::Content::decode(&content)
            .unwrap()
            .operations;
        let mut counts = std::collections::BTreeMap::new();
        for op in &ops {
            *counts.entry(op.operator.clone()).or_insert(0) += 1;
        }
        println!("{counts:?}");
        if n > 1 {
            break;
        }
    }
}
