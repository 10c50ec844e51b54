//! `init`'s questions that take more than a line: the project's name, the
//! credentials and the region.

use crate::cloud;
use crate::error::Result;
use crate::process::Process;
use crate::project::init::{Credentials, check_project_name};
use crate::prompt::{Asker, Choice, Question};

const ENV_KEYS_CHOICE: &str = "AWS access keys from the environment";

/// The project's name: the folder's letters and digits by default.
pub(super) fn ask_project_name(asker: &mut Asker, folder_name: &str) -> Result<String> {
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
pub(super) fn ask_credentials(asker: &mut Asker, process: &dyn Process) -> Result<Credentials> {
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
pub(super) fn ask_region(
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
            asker.text(&crate::commands::questions::region_question(), None, None)?;
            regions[0].clone()
        }
        _ => {
            let default = default_region
                .as_ref()
                .and_then(|r| regions.iter().position(|x| x == r))
                .unwrap_or(0);
            crate::commands::questions::ask_region(asker, &regions, default)?
        }
    };
    Ok(region)
}
