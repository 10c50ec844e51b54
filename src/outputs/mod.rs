//! Client configuration generated from amplify-meta.json: aws-exports.js and
//! amplifyconfiguration.json for JavaScript frontends.

mod javascript;

pub use javascript::{aws_exports_js, javascript_config, merge_custom_keys, parse_aws_exports};

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::project::{Frontend, Project};

/// One generated file: where it goes (relative to the project root) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Renders every client file for the project's frontend from the in-memory meta,
/// without writing; commands write them after the project files.
pub fn render(project: &Project) -> Result<Vec<Generated>> {
    let meta = &project.meta.value;
    let dir = project.source_dir();
    match project.frontend() {
        Frontend::Javascript => {
            let exports_path = dir.join("aws-exports.js");
            let mut config = javascript_config(meta);
            if let Some(existing) = project.store.read_text(&exports_path)? {
                let current = parse_aws_exports(&existing).ok_or_else(|| {
                    Error::refused(
                        format!("Unable to parse {}. Has this file been modified?", exports_path.display()),
                        "Keep the generated `const awsmobile = {...};` shape (move custom code to another file), or delete the file so it is generated anew.",
                    )
                })?;
                merge_custom_keys(&mut config, &current);
            }
            let json = serde_json::to_string_pretty(&serde_json::Value::Object(config.clone()))
                .expect("a JSON object serializes");
            Ok(vec![
                Generated {
                    path: exports_path,
                    bytes: aws_exports_js(&config).into_bytes(),
                },
                Generated {
                    path: dir.join("amplifyconfiguration.json"),
                    bytes: json.into_bytes(),
                },
            ])
        }
        // Mobile configuration arrives with the import work; nothing is generated yet.
        Frontend::Ios | Frontend::Android | Frontend::Flutter => Ok(Vec::new()),
    }
}

/// Writes rendered files atomically.
pub fn write(project: &Project, files: &[Generated]) -> Result<()> {
    for f in files {
        project.store.write_bytes(&f.path, &f.bytes)?;
    }
    Ok(())
}
