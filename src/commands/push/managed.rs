//! The command side of a managed auth push (`push::auth` is the operation):
//! the home folder for the providers' secrets, the spinner, and the apply
//! with its journal and messages.

use super::Context;
use crate::cloud::Aws;
use crate::error::Result;
use crate::project::Project;
use crate::push::auth::{self, AuthPush};
use crate::push::engine::Journal;
use crate::push::plan::Operation;

pub use crate::push::auth::{JOURNAL, deploys, describe, drift, outputs, pushed_pool, wanted};

pub fn plan(
    ctx: &Context,
    aws: &Aws,
    project: &Project,
    env: &str,
    wanted: &[(String, Operation)],
    journal: Option<&Journal>,
) -> Result<Option<AuthPush>> {
    let home = super::super::home(ctx).ok();
    let _s = ctx.ui.spinner("Reading the auth resources...");
    auth::plan(home.as_deref(), aws, project, env, wanted, journal)
}

pub fn plan_env_removal(
    ctx: &Context,
    aws: &Aws,
    project: &Project,
    env: &str,
) -> Result<Option<AuthPush>> {
    let _s = ctx.ui.spinner("Reading the auth resources...");
    auth::plan_env_removal(None, aws, project, env)
}

/// Applies the plan with its journal at `journal`.
pub fn apply(
    ctx: &Context,
    aws: &Aws,
    project: &Project,
    p: &AuthPush,
    journal: &str,
) -> Result<()> {
    auth::with_engine(aws, &p.registry, |engine| {
        super::apply_plan(
            ctx,
            aws,
            project,
            engine,
            &p.plan,
            journal,
            (
                "Deploying auth...",
                "Everything this push made was deleted and everything it changed was put back",
            ),
        )
    })
}
