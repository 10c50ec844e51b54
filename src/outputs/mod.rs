//! Client configuration generated from amplify-meta.json: aws-exports.js and
//! amplifyconfiguration.json (JavaScript), the mobile configuration files
//! (iOS, Android, Flutter), and amplify_outputs.json (Gen 2's, from
//! [`crate::gen2`]), all from one view of the env's auth ([`crate::auth::client`]).

mod javascript;
mod mobile;

pub use crate::auth::client::Files;
pub use javascript::{aws_exports_js, javascript_config, merge_custom_keys, parse_aws_exports};

use std::path::PathBuf;

use crate::auth::client::client_meta;
use crate::error::{Error, Result};
use crate::project::{AmplifyMeta, Frontend, Project};

/// One generated file: where it goes (relative to the project root) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Renders every client file for the project's frontend from the in-memory meta,
/// without writing; commands write them after the project files.
pub fn render(project: &Project) -> Result<Vec<Generated>> {
    render_from(project, Files::Pushed)
}

/// [`render`], with the auth resource's files read from `from`.
pub fn render_from(project: &Project, from: Files) -> Result<Vec<Generated>> {
    let (meta, extras) = client_meta(project, from)?;
    let outputs = crate::gen2::amplify_outputs(&meta, &extras);
    let dir = project.source_dir();
    let mut files = vec![Generated {
        path: PathBuf::from("amplify_outputs.json"),
        bytes: serde_json::to_string_pretty(&serde_json::Value::Object(outputs))
            .expect("a JSON object serializes")
            .into_bytes(),
    }];
    files.extend(frontend_files(project, &meta, &dir)?);
    Ok(files)
}

fn frontend_files(
    project: &Project,
    meta: &AmplifyMeta,
    dir: &std::path::Path,
) -> Result<Vec<Generated>> {
    let mobile = |dir: PathBuf, platform: mobile::Platform| {
        vec![
            Generated {
                path: dir.join("awsconfiguration.json"),
                bytes: mobile::json4(&mobile::aws_configuration(meta, platform)).into_bytes(),
            },
            Generated {
                path: dir.join("amplifyconfiguration.json"),
                bytes: mobile::json4(&mobile::amplify_configuration(meta, platform)).into_bytes(),
            },
        ]
    };
    match project.frontend() {
        Frontend::Javascript => {
            let exports_path = dir.join("aws-exports.js");
            let mut config = javascript_config(meta);
            if let Some(existing) = project.store.read_text(&exports_path)? {
                let current = parse_aws_exports(&existing).ok_or_else(|| {
                    Error::refused(
                        format!("Unable to parse {}. Has this file been modified?", exports_path.display()),
                        "Keep the generated `const awsmobile = {...};` shape (move custom code to another file), or delete the file and run `authwiz push`, which generates it anew.",
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
        Frontend::Ios => Ok(mobile(PathBuf::from("."), mobile::Platform::Ios)),
        Frontend::Android => Ok(mobile(dir.join("raw"), mobile::Platform::Android)),
        Frontend::Flutter => Ok(vec![Generated {
            path: dir.join("amplifyconfiguration.dart"),
            bytes: mobile::dart(&mobile::amplify_configuration(
                meta,
                mobile::Platform::Flutter,
            ))
            .into_bytes(),
        }]),
    }
}

/// How a client file on disk compares with what the project renders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileState {
    Missing,
    OutOfDate,
    /// aws-exports.js that is not in the generated shape (nothing can be rendered).
    Unparsable,
}

impl FileState {
    pub fn label(self) -> &'static str {
        match self {
            FileState::Missing => "missing",
            FileState::OutOfDate => "out of date",
            FileState::Unparsable => "unparsable",
        }
    }
}

/// The rendered client files whose bytes on disk differ (or that are missing): what
/// a `push` with nothing else to do writes. An unparsable aws-exports.js is an error
/// naming the fix.
pub fn differing(project: &Project) -> Result<Vec<(Generated, FileState)>> {
    let mut out = Vec::new();
    for file in render(project)? {
        match std::fs::read(project.store.path(&file.path)) {
            Ok(bytes) if bytes == file.bytes => {}
            Ok(_) => out.push((file, FileState::OutOfDate)),
            Err(_) => out.push((file, FileState::Missing)),
        }
    }
    Ok(out)
}

/// The client files that are missing, out of date or unparsable, compared with
/// what `push` would write now. Local reads only.
pub fn out_of_date(project: &Project) -> Result<Vec<(PathBuf, FileState)>> {
    if project.frontend() == Frontend::Javascript {
        let exports = project.source_dir().join("aws-exports.js");
        if let Some(text) = project.store.read_text(&exports)?
            && parse_aws_exports(&text).is_none()
        {
            return Ok(vec![(exports, FileState::Unparsable)]);
        }
    }
    Ok(differing(project)?
        .into_iter()
        .map(|(f, state)| (f.path, state))
        .collect())
}

/// Stages rendered files in the command's transaction.
pub fn write(project: &Project, files: &[Generated]) -> Result<()> {
    for f in files {
        project.store.write_bytes(&f.path, &f.bytes)?;
    }
    Ok(())
}
