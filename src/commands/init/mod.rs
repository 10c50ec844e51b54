//! `authwiz init`: a new Gen 1 project layout.

use crate::cli::InitArgs;
use crate::error::{Error, Result};
use crate::outputs;
use crate::process::Process;
use crate::project::init::{Credentials, EnvSettings, NewProject, create};
use crate::project::{AMPLIFY_DIR, EnvName, Frontend, names};
use crate::prompt::{Asker, Choice, Prompter, Question};

use super::Context;

mod questions;
use questions::{ask_credentials, ask_project_name, ask_region};

/// The wizard's steps, in order; each asks one question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    ProjectName,
    EnvName,
    Frontend,
    SourceDir,
    Credentials,
    Region,
    Done,
}

/// Collects the answers for a new project.
pub fn wizard(
    asker: &mut Asker,
    process: &dyn Process,
    folder_name: &str,
    endpoint_url: Option<String>,
) -> Result<NewProject> {
    let mut project_name = String::new();
    let mut env = None;
    let mut frontend = Frontend::Javascript;
    let mut source_dir = String::new();
    let mut credentials = Credentials::Environment;
    let mut region = String::new();
    let mut step = Step::ProjectName;
    while step != Step::Done {
        step = match step {
            Step::ProjectName => {
                project_name = ask_project_name(asker, folder_name)?;
                Step::EnvName
            }
            Step::EnvName => {
                let q = Question::new("env", "Enter a name for the environment", "--env NAME");
                let default = (asker.can_ask()).then_some("dev");
                let name = asker.text(&q, default, Some(|s| EnvName::parse(s).map(|_| ())))?;
                env = Some(
                    EnvName::parse(&name).map_err(|e| Error::refused(e, "Pass a valid --env."))?,
                );
                Step::Frontend
            }
            Step::Frontend => {
                let choices: Vec<Choice> = Frontend::ALL
                    .iter()
                    .map(|f| Choice::new(f.name(), f.name()))
                    .collect();
                let q = Question::new(
                    "frontend",
                    "Choose the type of app that you're building",
                    "--frontend javascript|ios|android|flutter",
                );
                frontend = Frontend::ALL[asker.select(&q, &choices, 0)?];
                Step::SourceDir
            }
            Step::SourceDir => {
                if frontend == Frontend::Ios {
                    source_dir = frontend.default_source_dir().into();
                } else {
                    let q =
                        Question::new("source-dir", "Source Directory Path:", "--source-dir DIR");
                    source_dir = asker.text(
                        &q,
                        Some(frontend.default_source_dir()),
                        Some(names::check_source_dir),
                    )?;
                }
                Step::Credentials
            }
            Step::Credentials => {
                credentials = ask_credentials(asker, process)?;
                Step::Region
            }
            Step::Region => {
                region = ask_region(asker, process, &credentials)?;
                Step::Done
            }
            Step::Done => Step::Done,
        };
    }
    Ok(NewProject {
        project_name,
        env: env.expect("the env step ran"),
        frontend,
        source_dir,
        settings: EnvSettings {
            region,
            credentials,
            endpoint_url,
        },
    })
}

pub fn run(ctx: &Context, args: InitArgs, prompter: &mut dyn Prompter) -> Result<()> {
    let store = ctx.store();
    if store.exists(AMPLIFY_DIR) {
        return Err(Error::refused(
            format!(
                "{} already has an Amplify project (amplify/ exists); nothing was changed.",
                store.root().display()
            ),
            "Run authwiz commands in it as it is, or pass --project-dir with a new folder.",
        ));
    }
    let mut asker = Asker::new(prompter, ctx.yes);
    asker
        .give("project-name", args.project_name)
        .give("env", args.env)
        .give("frontend", args.frontend)
        .give("source-dir", args.source_dir)
        .give("profile", ctx.aws.profile.clone())
        .give("region", ctx.aws.region.clone());
    let folder = std::fs::canonicalize(store.root())
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
        .unwrap_or_default();
    let new = wizard(
        &mut asker,
        ctx.process.as_ref(),
        &folder,
        ctx.aws.endpoint_url.clone(),
    )?;
    // An aws-exports.js that is not in the generated shape would fail after
    // amplify/ exists; refuse before anything is written.
    let exports = std::path::Path::new(&new.source_dir).join("aws-exports.js");
    if new.frontend == Frontend::Javascript
        && let Some(text) = store.read_text(&exports)?
        && outputs::parse_aws_exports(&text).is_none()
    {
        return Err(Error::refused(
            format!(
                "Unable to parse {}. Has this file been modified?",
                exports.display()
            ),
            "Keep the generated `const awsmobile = {...};` shape, or move the file away, then run init again. Nothing was changed.",
        ));
    }
    std::fs::create_dir_all(store.root()).map_err(|e| {
        Error::refused(
            format!("Could not create {}: {e}", store.root().display()),
            "Check the path and its permissions.",
        )
    })?;
    let project = create(&store, &new)?;
    let files = outputs::render(&project)?;
    outputs::write(&project, &files)?;
    store.commit_new_project("init")?;

    let ui = &ctx.ui;
    ui.success("Your project has been successfully initialized.");
    ui.line(format!(
        "Project: {}  Environment: {}  Region: {}",
        new.project_name, new.env, new.settings.region
    ));
    ui.line("Some next steps:");
    ui.line("\"authwiz import auth\" will link an existing Cognito User Pool (and Identity Pool) to the project");
    ui.line("\"authwiz status\" will show you what you've added already");
    Ok(())
}
