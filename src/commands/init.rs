//! `authwiz init`: a new Gen 1 project layout.

use crate::cli::InitArgs;
use crate::cloud;
use crate::error::{Error, Result};
use crate::outputs;
use crate::process::Process;
use crate::project::init::{Credentials, EnvSettings, NewProject, check_project_name, create};
use crate::project::{AMPLIFY_DIR, EnvName, Frontend, names};
use crate::prompt::{Asker, Choice, Prompter, Question};

use super::Context;

const ENV_KEYS_CHOICE: &str = "AWS access keys from the environment";

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

/// The project's name: the folder's letters and digits by default.
fn ask_project_name(asker: &mut Asker, folder_name: &str) -> Result<String> {
    let default: String = folder_name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(20)
        .collect();
    let default = (asker.can_ask() && check_project_name(&default).is_ok()).then_some(default);
    let q = Question::new(
        "project-name",
        "Enter a name for the project",
        "--project-name NAME",
    );
    Ok(asker.text(&q, default.as_deref(), Some(check_project_name))?)
}

/// A profile of the AWS config, or the environment's keys.
fn ask_credentials(asker: &mut Asker, process: &dyn Process) -> Result<Credentials> {
    let mut choices: Vec<Choice> = cloud::profile_names(process)
        .into_iter()
        .map(|p| Choice::new(p.clone(), p))
        .collect();
    choices.push(Choice::new(ENV_KEYS_CHOICE, "environment"));
    // AWS_PROFILE, then `default`, then the environment's keys.
    let wanted = process
        .var("AWS_PROFILE")
        .unwrap_or_else(|| "default".into());
    let default = choices
        .iter()
        .position(|c| c.value == wanted && c.label != ENV_KEYS_CHOICE)
        .unwrap_or(choices.len() - 1);
    let q = Question::new(
        "profile",
        "Select the authentication method you want to use:",
        "--profile NAME",
    );
    let picked = &choices[asker.select(&q, &choices, default)?];
    Ok(
        if picked.value == "environment" && picked.label == ENV_KEYS_CHOICE {
            Credentials::Environment
        } else {
            Credentials::Profile(picked.value.clone())
        },
    )
}

/// The env's region: the config chain's for the credentials by default.
fn ask_region(
    asker: &mut Asker,
    process: &dyn Process,
    credentials: &Credentials,
) -> Result<String> {
    let profile = match &credentials {
        Credentials::Profile(p) => Some(p.as_str()),
        Credentials::Environment => None,
    };
    let default_region = cloud::default_region(process, profile);
    let mut regions: Vec<String> = cloud::REGIONS.iter().map(|r| r.to_string()).collect();
    if let Some(r) = &default_region
        && !regions.contains(r)
    {
        regions.insert(0, r.clone());
    }
    let region = match (&default_region, asker.is_given("region"), !asker.can_ask()) {
        // --yes accepts the config chain's region, but never invents one.
        (None, false, true) => {
            asker.text(&super::questions::region_question(), None, None)?;
            regions[0].clone()
        }
        _ => {
            let default = default_region
                .as_ref()
                .and_then(|r| regions.iter().position(|x| x == r))
                .unwrap_or(0);
            super::questions::ask_region(asker, &regions, default)?
        }
    };
    Ok(region)
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
