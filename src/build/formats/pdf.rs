//! The PDF format: the report and the record of decision through typst, tagged PDF/UA-1. A
//! paper's documents are queued while it renders and made after every paper, one typst run
//! each, in parallel; a PDF whose inputs hash as the cache says is not made again.

use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::diagnostic::{Code, Diagnostic};
use crate::render::hash_sources;
use crate::render::typst::{self, Gate, Job, Stage, Typst};

use super::super::cache::STAGING;
use super::super::Progress;
use super::{
    Batch, Deferred, Document, Finished, Index, Kind, Link, Made, Paper, Renderer, Site, Tally,
};

/// typst, once found by `ready`.
#[derive(Default)]
pub(crate) struct Pdf {
    typst: Option<Typst>,
}

/// Finds typst, installing it when allowed.
pub(crate) fn typst_for_build(install: bool, progress: &dyn Progress) -> Result<Typst, String> {
    match typst::find() {
        Ok(t) => Ok(t),
        Err(why)
            if !install
                || std::env::var_os("CLERK_NO_INSTALL")
                    .is_some_and(|v| !v.is_empty() && v != "0") =>
        {
            Err(format!(
                "{why}: PDFs cannot be made. To make them, {}. Or build without PDFs: `clerk build --no-pdf`.",
                typst::manual_install()
            ))
        }
        Err(why) => {
            progress.note(&format!(
                "{why}. Installing typst {} into {} with cargo: this happens once and takes several minutes.",
                typst::VERSION,
                typst::cache_dir().display()
            ));
            typst::install()
        }
    }
}

/// Seconds since 1970 at noon on `date`, for a PDF's creation date (0 without one).
fn timestamp(date: Option<chrono::NaiveDate>) -> i64 {
    date.and_then(|d| d.and_hms_opt(12, 0, 0))
        .map_or(0, |t| t.and_utc().timestamp())
}

impl Pdf {
    fn typst(&self) -> Result<&Typst, String> {
        self.typst
            .as_ref()
            .ok_or_else(|| "the PDF format was not made ready".to_string())
    }

    /// A hash of everything that goes into one PDF: this format's key and the document's data.
    fn job_hash(&self, key: &str, job: &Job) -> String {
        let mut hash = Sha256::new();
        hash.update(env!("CARGO_PKG_VERSION").as_bytes());
        hash.update(key.as_bytes());
        hash.update(job.timestamp.to_le_bytes());
        hash.update(job.data_json.as_bytes());
        format!("{:x}", hash.finalize())
    }

    /// Makes one PDF unless the cache has it at `hash`; `Ok(true)` when made. The worker's
    /// staging folder is made when its first PDF is.
    fn make(
        &self,
        (batch, gate): (&Batch, &Gate),
        (staging, stage): (&Path, &mut Option<Stage>),
        (rel, job): &Deferred,
        hash: &str,
    ) -> Result<bool, String> {
        let out = batch.site.out;
        let present = out.path(rel).is_ok_and(|p| p.is_file());
        if present && batch.cached.get(rel).is_some_and(|h| h == hash) {
            return Ok(false);
        }
        if stage.is_none() {
            *stage = Some(Stage::new(&batch.site.templates.typst, staging)?);
        }
        let stage = stage.as_ref().ok_or("no staging folder")?;
        let bytes = stage.compile(self.typst()?, "paper.typ", job, Some(gate))?;
        out.write(rel, &bytes)
            .map_err(|e| format!("cannot write {rel}: {e}"))?;
        Ok(true)
    }
}

impl Renderer for Pdf {
    fn name(&self) -> &'static str {
        "pdf"
    }

    fn ready(&mut self, install: bool, progress: &dyn Progress) -> Result<(), String> {
        self.typst = Some(typst_for_build(install, progress)?);
        Ok(())
    }

    /// typst's version and the typst templates.
    fn key(&self, site: &Site) -> String {
        let version = self.typst.as_ref().map_or("", |t| t.version.as_str());
        format!(
            "typst={version} {}",
            hash_sources(site.templates.typst.iter())
        )
    }

    /// The report and the record have a PDF; appendices do not.
    fn link(&self, doc: &Document) -> Option<Link> {
        (doc.kind != Kind::Appendix).then(|| Link {
            label: format!("{} (PDF)", doc.label),
            href: format!("{}.pdf", doc.stem),
        })
    }

    fn document(&self, doc: &Document, paper: &Paper, made: &mut Made) {
        let Some(data) = &doc.data else {
            return;
        };
        if doc.kind == Kind::Appendix {
            return;
        }
        let dir = paper.visit.cx.paper.dir.display();
        made.deferred.push((
            format!("{}/{}.pdf", paper.rel, doc.stem),
            Job {
                name: format!("{dir}/{}.pdf", doc.stem),
                data_json: data.clone(),
                timestamp: timestamp(doc.date),
            },
        ));
    }

    /// `batch.threads` typst runs at a time (one per core by default), from twice as many
    /// workers, so the next run is staged while one runs (see `Gate`). Each worker has a working
    /// folder of its own under the output's staging folder, removed after.
    /// The forward plan's PDF (`site/forward_plan.rs`), made again only when what goes into it
    /// changed.
    fn site(&self, index: &Index, site: &Site, made: &mut Made) -> Result<(), String> {
        const FILE: &str = "forward-plan/forward-plan.pdf";
        const RECORD: &str = ".clerk/forward-plan.hash";
        let data = crate::site::forward_plan::data(&index.catalogue, "");
        let data_json = serde_json::to_string(&data).map_err(|e| e.to_string())?;
        let mut hash = Sha256::new();
        hash.update(self.key(site).as_bytes());
        hash.update(data_json.as_bytes());
        let hash = format!("{:x}", hash.finalize());
        let last = site
            .out
            .path(RECORD)
            .ok()
            .and_then(|p| crate::load::read_raw(&p).ok());
        let there = site.out.path(FILE).is_ok_and(|p| p.is_file());
        if there && last.as_deref() == Some(hash.as_bytes()) {
            made.files.extend([FILE.to_string(), RECORD.to_string()]);
            return Ok(());
        }
        let staging = site.out.work_dir(STAGING).map_err(|e| e.to_string())?;
        // Dated by the newest decision it lists, never the build's clock.
        let newest = index
            .catalogue
            .papers
            .iter()
            .filter(|p| p.key_decision)
            .filter_map(|p| chrono::NaiveDate::parse_from_str(&p.sort_date, "%Y-%m-%d").ok())
            .max();
        let job = Job {
            name: "the forward plan".into(),
            data_json,
            timestamp: timestamp(newest),
        };
        let pdf = typst::compile(
            self.typst()?,
            &site.templates.typst,
            "forward-plan.typ",
            &job,
            &staging,
        );
        let _ = site.out.remove_work_dir(STAGING);
        match pdf {
            Ok(bytes) => {
                for (file, bytes) in [(FILE, bytes), (RECORD, hash.into_bytes())] {
                    if let Err(e) = made.write(site.out, file, &bytes) {
                        made.failures.push(format!("cannot write {file}: {e}"));
                    }
                }
            }
            Err(e) => made.failures.push(e),
        }
        Ok(())
    }

    fn finish(
        &self,
        deferred: &[Deferred],
        batch: &Batch,
        progress: &dyn Progress,
    ) -> Result<Vec<Finished>, String> {
        let out = batch.site.out;
        let staging = out.work_dir(STAGING).map_err(|e| e.to_string())?;
        let runs = batch.threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        });
        let gate = Gate::new(runs);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(runs * 2)
            .build()
            .map_err(|e| e.to_string())?;
        progress.phase("Making PDFs", deferred.len());
        let key = self.key(batch.site);
        let results = pool.install(|| {
            deferred
                .par_iter()
                .map_init(
                    || None,
                    |stage, one| {
                        let hash = self.job_hash(&key, &one.1);
                        let result = self.make((batch, &gate), (&staging, stage), one, &hash);
                        progress.tick();
                        let result = result.map_err(|e| Diagnostic::general(Code::PdfFailed, e));
                        (one.0.clone(), hash, result)
                    },
                )
                .collect()
        });
        let _ = out.remove_work_dir(STAGING);
        Ok(results)
    }

    fn summary(&self, tally: Tally) -> Option<String> {
        Some(format!(
            "{} made ({} unchanged)",
            crate::text::count(tally.made, "PDF"),
            tally.unchanged
        ))
    }
}
