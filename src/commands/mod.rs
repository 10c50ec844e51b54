//! One file per command: turn arguments into options, ask what is missing, call
//! the domain, print the result.

pub mod add_auth;
mod backup;
mod client_files;
pub mod env;
pub mod export;
pub mod import;
pub mod init;
pub mod override_auth;
pub mod pull;
pub mod push;
mod questions;
pub mod remove;
mod retired;
pub mod schema;
pub mod status;
pub mod storage;
pub mod update_auth;
mod users;

use std::path::{Path, PathBuf};

use crate::cli::{
    AddCommand, Command, ExportCommand, Global, OverrideCommand, RemoveCommand, UpdateCommand,
};
use crate::cloud::{Aws, AwsFlags, AwsTarget};
use crate::error::Result;
use crate::process::{Process, RealProcess};
use crate::project::{Project, ProjectLock, Store};
use crate::prompt::Prompter;
use crate::ui::Ui;

/// What every command gets: where the project is, AWS overrides, and the console.
pub struct Context {
    pub project_dir: PathBuf,
    pub aws: AwsFlags,
    pub yes: bool,
    pub ui: Ui,
    /// Environment variables, stdin and the clock.
    pub process: Box<dyn Process>,
}

impl Context {
    pub fn from_global(g: &Global, ui: Ui) -> Self {
        Context {
            project_dir: g
                .project_dir
                .clone()
                .unwrap_or_else(|| crate::project::find_root(Path::new("."))),
            aws: AwsFlags {
                region: g.region.clone(),
                profile: g.profile.clone(),
                endpoint_url: g.endpoint_url.clone(),
            },
            yes: g.yes,
            ui,
            process: Box::new(RealProcess),
        }
    }

    /// The same context with another process (tests).
    pub fn with_process(mut self, process: impl Process + 'static) -> Self {
        self.process = Box::new(process);
        self
    }

    /// The project's Store (one per command: its fault hook counts the
    /// command's file operations).
    pub fn store(&self) -> Store {
        Store::new(&self.project_dir)
            .with_fault_hook(self.process.var("AUTHWIZ_FAULT_AT").as_deref())
            .with_home(home(self).ok())
    }

    /// Reads the project (no lock). An interrupted command's transaction is
    /// finished first when no other command holds the lock.
    pub fn open(&self) -> Result<Project> {
        let store = self.store();
        if store.needs_recovery()
            && let Ok(lock) = store.lock(crate::project::LOCK_FILE)
        {
            self.recover(&store, &lock)?;
        }
        Ok(Project::open(store)?)
    }

    /// Takes the project lock, finishes an interrupted command's transaction,
    /// then reads the project: a command that writes holds the lock across its
    /// whole read-modify-write.
    pub fn open_locked(&self) -> Result<(Project, ProjectLock)> {
        let store = self.store();
        if !store.exists(crate::project::AMPLIFY_DIR) {
            // Reports the missing project without creating anything.
            Project::open(store.clone())?;
        }
        let lock = store.lock(crate::project::LOCK_FILE)?;
        self.recover(&store, &lock)?;
        Ok((Project::open(store)?, lock))
    }

    fn recover(&self, store: &Store, lock: &ProjectLock) -> Result<()> {
        if let Some(recovery) = store.recover(lock)? {
            self.ui.warn(recovery.to_string());
        }
        Ok(())
    }

    /// The AWS connection for one env of the project (the only place commands get one).
    pub fn connect(&self, project: &Project, env: &str) -> Result<Aws> {
        // An env's resources live in its region; a different --region would read
        // one region and record another.
        if let (Some(flag), Some(stored)) = (&self.aws.region, project.env_region(env))
            && flag != stored
        {
            return Err(crate::error::Error::refused(
                format!("Environment '{env}' is in {stored}, but --region says {flag}."),
                format!(
                    "Leave out --region, or add an environment in {flag} (`authwiz env add NAME --region {flag}`)."
                ),
            ));
        }
        let target = AwsTarget::resolve(
            self.process.as_ref(),
            &self.aws,
            project.env_region(env),
            project.aws_info.value.get(env),
        );
        if self.ui.verbose {
            self.ui.line(format!(
                "AWS for env '{env}': region {}, profile {}, endpoint {}",
                target.region.as_deref().unwrap_or("(none)"),
                target.profile.as_deref().unwrap_or("(default chain)"),
                target
                    .endpoint_url
                    .as_deref()
                    .unwrap_or("(AWS_ENDPOINT_URL or AWS)"),
            ));
        }
        Ok(Aws::connect(
            &target,
            self.process.as_ref(),
            self.ui.call_log(),
        )?)
    }
}

pub fn run(command: Command, ctx: &Context, prompter: &mut dyn Prompter) -> Result<()> {
    match command {
        Command::Init(args) => init::run(ctx, args, prompter),
        Command::Env(cmd) => env::run(ctx, cmd, prompter),
        Command::Status(args) => status::run(ctx, args),
        Command::Import(crate::cli::ImportCommand::Auth(args)) => import::run(ctx, args, prompter),
        Command::Remove(RemoveCommand::Auth { name }) => remove::run(ctx, name, prompter),
        Command::Remove(RemoveCommand::Storage { name }) => storage::remove(ctx, name, prompter),
        Command::Add(AddCommand::Auth(args)) => add_auth::run(ctx, args, prompter),
        Command::Add(AddCommand::Storage(args)) => storage::add(ctx, args, prompter),
        Command::Update(UpdateCommand::Auth(args)) => update_auth::run(ctx, args, prompter),
        Command::Update(UpdateCommand::Storage(args)) => storage::update(ctx, args, prompter),
        Command::Push(args) => push::run(ctx, args, prompter),
        Command::Pull(crate::cli::PullCommand::Auth) => pull::auth(ctx),
        Command::Override(OverrideCommand::Auth(args)) => override_auth::run(ctx, args),
        Command::Export(ExportCommand::Gen2(args)) => export::run(ctx, args, prompter),
        Command::Users(cmd) => users::users(ctx, cmd, prompter),
        Command::Groups(cmd) => users::groups(ctx, cmd),
        Command::Backup(crate::cli::BackupCommand::Auth(args)) => backup::backup(ctx, args),
        Command::Retired(cmd) => retired::run(ctx, cmd, prompter),
        Command::Completions { shell } => {
            ctx.ui.machine_text(&crate::cli::completions(shell));
            Ok(())
        }
        Command::Man => {
            ctx.ui.machine_text(&crate::cli::man_page());
            Ok(())
        }
        Command::Schema { name } => schema::run(ctx, name.as_deref()),
        Command::Restore(crate::cli::RestoreCommand::Auth(args)) => backup::restore(ctx, args),
    }
}

/// Reads the whole of stdin, giving up when nothing arrives (never hangs in CI).
pub(crate) fn read_stdin(ctx: &Context, command: &str) -> Result<String> {
    let fix = format!("Pipe the JSON payload into the command, e.g. `echo '{{...}}' | {command}`.");
    if ctx.process.stdin_is_terminal() {
        return Err(crate::error::Error::refused(
            "--headless reads its JSON payload from stdin, which is a terminal.",
            fix,
        ));
    }
    match ctx.process.read_stdin(std::time::Duration::from_secs(10)) {
        Some(Ok(text)) if !text.trim().is_empty() => Ok(text),
        Some(Ok(_)) | None => Err(crate::error::Error::refused(
            "No input received on stdin",
            fix,
        )),
        Some(Err(e)) => Err(crate::error::Error::refused(
            format!("Could not read stdin: {e}"),
            fix,
        )),
    }
}

/// Now as `2026-11-22T05:14:05.897Z` (what Amplify writes).
pub(crate) fn timestamp(now: std::time::SystemTime) -> String {
    let now = now
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let (secs, millis) = (now.as_secs() as i64, now.subsec_millis());
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The user's home folder (for `~/.aws/amplify`).
pub(crate) fn home(ctx: &Context) -> Result<PathBuf> {
    ctx.process
        .var("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .ok_or_else(|| {
            crate::error::Error::refused(
                "HOME is not set, so the social providers' secrets (~/.aws/amplify/deployment-secrets.json) cannot be reached.",
                "Set HOME and run the command again.",
            )
        })
}

/// The trigger function resources for `wanted` in place of `was` (staged),
/// their secret values into the deployment secrets.
fn record_triggers(
    ctx: &Context,
    project: &mut crate::project::Project,
    (env, res): (&str, &str),
    (wanted, was): (
        &crate::auth::triggers::Selection,
        &crate::auth::triggers::Selection,
    ),
) -> Result<()> {
    use crate::auth::triggers::files;
    let secrets = files::record(project, env, res, wanted, was)?;
    if secrets.is_empty() {
        return Ok(());
    }
    let home = home(ctx)?;
    for (function, values) in secrets {
        crate::project::secrets::save_values(
            &home,
            project,
            (env, files::FUNCTION, &function),
            values,
        )?;
    }
    Ok(())
}
