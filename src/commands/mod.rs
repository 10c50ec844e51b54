//! One file per command: turn arguments into options, ask what is missing, call
//! the domain, print the result.

pub mod env;
mod env_init;
pub mod import;
pub mod init;
pub mod push;
pub mod remove;
pub mod status;

use std::path::PathBuf;

use crate::cli::{Command, Global};
use crate::cloud::{Aws, AwsFlags, AwsTarget};
use crate::error::Result;
use crate::project::{Project, Store};
use crate::prompt::Prompter;
use crate::ui::Ui;

/// What every command gets: where the project is, AWS overrides, and the console.
pub struct Context {
    pub project_dir: PathBuf,
    pub aws: AwsFlags,
    pub yes: bool,
    pub ui: Ui,
}

impl Context {
    pub fn from_global(g: &Global, ui: Ui) -> Self {
        Context {
            project_dir: g.project_dir.clone(),
            aws: AwsFlags {
                region: g.region.clone(),
                profile: g.profile.clone(),
                endpoint_url: g.endpoint_url.clone(),
            },
            yes: g.yes,
            ui,
        }
    }

    pub fn store(&self) -> Store {
        Store::new(&self.project_dir)
    }

    pub fn open(&self) -> Result<Project> {
        Project::open(self.store())
    }

    /// The AWS connection for one env of the project (the only place commands get one).
    pub fn connect(&self, project: &Project, env: &str) -> Result<Aws> {
        let target = AwsTarget::resolve(
            &self.aws,
            project.env_region(env),
            project.aws_info.value.get(env),
        );
        Ok(Aws::connect(&target)?)
    }
}

pub fn run(command: Command, ctx: &Context, prompter: &mut dyn Prompter) -> Result<()> {
    match command {
        Command::Init(args) => init::run(ctx, args, prompter),
        Command::Env(cmd) => env::run(ctx, cmd, prompter),
        Command::Status(args) => status::run(ctx, args),
        Command::Import(crate::cli::ImportCommand::Auth(args)) => import::run(ctx, args, prompter),
        Command::Remove(crate::cli::RemoveCommand::Auth { name }) => {
            remove::run(ctx, name, prompter)
        }
        Command::Push(args) => push::run(ctx, args, prompter),
    }
}
