//! Applying a push's plans: each engine with its journal, a failure saying
//! what was put back and what the next push completes.

use super::Context;
use crate::cloud::Aws;
use crate::error::{Error, Result};
use crate::project::Project;
use crate::push::engine::{Engine, JournalFile, Plan};
use crate::push::storage_push::{StoragePush, providers};

pub(super) fn apply_storage(
    ctx: &Context,
    aws: &Aws,
    project: &Project,
    s: &StoragePush,
    journal: &str,
) -> Result<()> {
    let (iam, s3) = (aws.iam(), aws.s3());
    let (policies, buckets) = providers(aws, &iam, &s3);
    let engine = Engine::new(&[&policies, &buckets]);
    apply_plan(
        ctx,
        aws,
        project,
        &engine,
        &s.plan,
        journal,
        (
            "Updating the roles' policies...",
            "Every role was put back to its previous policies",
        ),
    )
}

/// Applies a plan with its journal; a failure says what was put back and what
/// the next push completes.
pub(super) fn apply_plan(
    ctx: &Context,
    aws: &Aws,
    project: &Project,
    engine: &Engine,
    plan: &Plan,
    rel: &str,
    (doing, restored): (&str, &str),
) -> Result<()> {
    if plan.is_empty() {
        return Ok(project.store.remove_file(rel)?);
    }
    let journal = JournalFile {
        store: &project.store,
        rel,
    };
    let _spin = ctx.ui.spinner(doing);
    match aws.block_on(engine.apply(plan, &journal)) {
        Ok(()) => Ok(()),
        Err(failed) if failed.restored => Err(Error::PushFailed {
            what: format!(
                "The push failed at '{}': {}\n{restored}; nothing was recorded.",
                failed.step, failed.error
            ),
            fix: "Fix the cause (permissions, network) and run `authwiz push` again.".into(),
            cause: Box::new(failed.error),
        }),
        Err(failed) => Err(Error::PushFailed {
            what: format!(
                "The push failed at '{}': {}\nThese changes are applied in the cloud: {}. {rel} lists each step's previous and planned state.",
                failed.step,
                failed.error,
                if failed.left.is_empty() {
                    "none".to_string()
                } else {
                    failed.left.join("; ")
                }
            ),
            fix: "Run `authwiz push` again: it reads the resources and completes the change."
                .into(),
            cause: Box::new(failed.error),
        }),
    }
}
