//! Command-line shape: clap derive types, and the walkthrough flags that the
//! question tables define.

use std::path::PathBuf;

use clap::{Arg, ArgAction, ArgGroup, ArgMatches, Args, FromArgMatches, Parser, Subcommand};

use crate::auth::managed::questions::{self, Spec};

#[derive(Debug, Parser)]
#[command(
    name = "authwiz",
    version,
    about = "A fast, scriptable wizard for AWS Amplify (Gen 1) auth workflows",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Project folder, the one that holds amplify/ (default: the current folder or the
    /// nearest parent folder with an Amplify project, as git and cargo look)
    #[arg(long, global = true, value_name = "DIR")]
    pub project_dir: Option<PathBuf>,
    /// AWS profile (default: AWS_PROFILE, then the env's stored profile)
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// AWS region (default: the env's region, then AWS_REGION)
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,
    /// AWS endpoint override, e.g. a local emulator (default: AWS_ENDPOINT_URL)
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Accept defaults and never prompt; a missing answer is an error naming its flag
    #[arg(short = 'y', long, global = true)]
    pub yes: bool,
    /// No colours in the output (as --color never)
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Colours: auto (when stderr is a terminal and NO_COLOR is unset), always, never
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// More detail (AWS calls, timings)
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create amplify/ for a new project
    Init(InitArgs),
    /// Manage environments
    #[command(subcommand)]
    Env(EnvCommand),
    /// Link existing resources to the project
    #[command(subcommand)]
    Import(ImportCommand),
    /// Add a resource to the project
    #[command(subcommand)]
    Add(AddCommand),
    /// Change a resource of the project
    #[command(subcommand)]
    Update(UpdateCommand),
    /// Settings the walkthrough does not ask (override.json)
    #[command(subcommand)]
    Override(OverrideCommand),
    /// Write the project's auth in another form
    #[command(subcommand)]
    Export(ExportCommand),
    /// Remove (unlink) a resource from the project
    #[command(subcommand)]
    Remove(RemoveCommand),
    /// Show what a push would change
    Status(StatusArgs),
    /// Record local changes as pushed and regenerate the client configuration
    Push(PushArgs),
    /// Take what was changed in the cloud since the last push into the project's files
    #[command(subcommand)]
    Pull(PullCommand),
    /// The current env's users (its user pool, managed or imported)
    #[command(subcommand)]
    Users(UsersCommand),
    /// The current env's user pool groups
    #[command(subcommand)]
    Groups(GroupsCommand),
    /// Save the current env's user pool: settings, users, groups and memberships
    #[command(subcommand)]
    Backup(BackupCommand),
    /// Put a backup's groups, users and memberships into the current env's pool
    #[command(subcommand)]
    Restore(RestoreCommand),
    /// User pools a `push --replace-user-pool` kept (retired): list them, or
    /// delete one after a backup
    #[command(subcommand)]
    Retired(RetiredCommand),
    /// Print the shell completion script (e.g. `authwiz completions bash > /etc/bash_completion.d/authwiz`)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `authwiz man | man -l -`
    Man,
    /// Print a JSON Schema of a file or payload authwiz reads
    Schema {
        /// The schema to print (without it: the names, one a line)
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(crate::schemas::NAMES))]
        name: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Every user, page by page
    List(UsersListArgs),
    /// Create a user (an invitation with a temporary password, unless --no-invite)
    Add(UsersAddArgs),
    /// Delete a user (asks first; --yes in scripts)
    Remove { username: String },
    /// Let a disabled user sign in again
    Enable { username: String },
    /// Stop a user from signing in (the user stays)
    Disable { username: String },
    /// Make the user set a new password (Cognito sends a code)
    ResetPassword { username: String },
    /// A user's groups; --add and --remove change them
    Groups(UserGroupsArgs),
}

#[derive(Debug, Args)]
pub struct UsersListArgs {
    /// Only the members of this group
    #[arg(long, value_name = "GROUP", conflicts_with = "filter")]
    pub group: Option<String>,
    /// ListUsers' filter, e.g. 'email ^= "a"'
    #[arg(long, value_name = "FILTER")]
    pub filter: Option<String>,
    /// One JSON array of users
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct UsersAddArgs {
    pub username: String,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    /// Another attribute, NAME=VALUE (repeatable)
    #[arg(long = "attribute", value_name = "NAME=VALUE")]
    pub attributes: Vec<String>,
    /// A group to put the user in (repeatable)
    #[arg(long = "group", value_name = "GROUP")]
    pub groups: Vec<String>,
    #[arg(long, value_name = "PASSWORD", conflicts_with = "no_invite")]
    pub temporary_password: Option<String>,
    /// No invitation message (the user is told its password another way)
    #[arg(long)]
    pub no_invite: bool,
}

#[derive(Debug, Args)]
pub struct UserGroupsArgs {
    pub username: String,
    #[arg(long = "add", value_name = "GROUP")]
    pub add: Vec<String>,
    #[arg(long = "remove", value_name = "GROUP")]
    pub remove: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum GroupsCommand {
    /// Every group, with its precedence and role
    List {
        #[arg(long)]
        json: bool,
    },
    /// Create a group (one the project's files define is changed through them)
    Add(GroupAddArgs),
    /// Delete a group (its users stay)
    Remove { name: String },
}

#[derive(Debug, Args)]
pub struct GroupAddArgs {
    pub name: String,
    #[arg(long)]
    pub precedence: Option<i32>,
    #[arg(long, value_name = "ARN")]
    pub role_arn: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
}

/// When the human output is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour, and whether that holds even off a terminal.
    pub fn decide(self, no_color_flag: bool, no_color_env: bool) -> (bool, bool) {
        match self {
            _ if no_color_flag => (false, false),
            ColorChoice::Never => (false, false),
            ColorChoice::Always => (true, true),
            ColorChoice::Auto => (!no_color_env, false),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum RetiredCommand {
    /// The current env's retired user pools
    List {
        /// One JSON array on stdout
        #[arg(long)]
        json: bool,
    },
    /// Back up a retired user pool (users, groups, memberships), then delete it
    Delete {
        /// The retired pool's id (`authwiz retired list`)
        #[arg(value_name = "USER_POOL_ID")]
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// The auth resource's pool (managed or imported) into one JSON file (0600)
    Auth(BackupAuthArgs),
}

#[derive(Debug, Args)]
pub struct BackupAuthArgs {
    /// The file, inside the project (default:
    /// amplify/.config/local-authwiz-backups/<env>/<resource>-<time>.json, git-ignored)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum RestoreCommand {
    /// A backup's groups, users (no invitation; they set a new password) and
    /// memberships; what exists is left as it is
    Auth(RestoreAuthArgs),
}

#[derive(Debug, Args)]
pub struct RestoreAuthArgs {
    /// The backup file (`authwiz backup auth`)
    pub file: PathBuf,
    /// The users only: no groups, no memberships
    #[arg(long)]
    pub users_only: bool,
    /// Change nothing: list every difference between the backup and the pool
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Subcommand)]
pub enum PullCommand {
    /// The live values of the managed auth resource's fields changed outside
    /// authwiz, into cli-inputs.json (or override.json where it sets the field)
    Auth,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import an existing Cognito User Pool (and Identity Pool)
    Auth(ImportAuthArgs),
}

#[derive(Debug, Args)]
pub struct ImportAuthArgs {
    /// Read the ImportAuthRequest JSON (version 1) from stdin
    #[arg(long, conflicts_with_all = ["user_pool_id", "web_client_id", "native_client_id", "identity_pool_id"])]
    pub headless: bool,
    /// The user pool to import (us-east-1_AbC...)
    #[arg(long, value_name = "ID")]
    pub user_pool_id: Option<String>,
    /// The web app client (an app client without a secret)
    #[arg(long, value_name = "ID")]
    pub web_client_id: Option<String>,
    /// The native app client (any app client of the pool)
    #[arg(long, value_name = "ID")]
    pub native_client_id: Option<String>,
    /// The identity pool (region:uuid); imports "User Pool and Identity Pool"
    #[arg(long, value_name = "ID")]
    pub identity_pool_id: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum RemoveCommand {
    /// Remove (unlink) the auth resource
    Auth {
        /// Resource name (asked when the project has several)
        name: Option<String>,
    },
    /// Remove the storage resource (its role policies go on the next push; the bucket stays)
    Storage {
        /// Resource name
        name: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AddCommand {
    /// Add Amplify-managed auth (Cognito user pool, identity pool) to the project
    Auth(AddAuthArgs),
    /// Add S3 storage whose access goes on the identity pool's roles
    Storage(StorageArgs),
}

#[derive(Debug, Args)]
pub struct AddAuthArgs {
    /// Read Amplify's AddAuthRequest JSON (version 2) from stdin
    #[arg(long, conflicts_with_all = ["add_answers", "answers"])]
    pub headless: bool,
    #[command(flatten)]
    pub answers: WalkFlags<false>,
}

/// The flags of a walkthrough's questions, made from its table
/// ([`questions::ADD_AUTH`], or [`questions::UPDATE_AUTH`] when `UPDATE`): each
/// question's id is its flag's name, and the table gives the flag's value name and
/// help line. The values are checked by the walkthrough, with Amplify's messages.
#[derive(Debug, Default)]
pub struct WalkFlags<const UPDATE: bool> {
    /// The given flags' values, by question id.
    pub given: Vec<(&'static str, String)>,
}

impl<const UPDATE: bool> WalkFlags<UPDATE> {
    /// (help heading, group id, first spec of each id): this command's own
    /// questions, then those both commands ask.
    fn sections() -> [(&'static str, &'static str, Vec<&'static Spec>); 2] {
        let (own, other, heading, group) = if UPDATE {
            let heading = "Answers of the update menu";
            (
                questions::UPDATE_AUTH,
                questions::ADD_AUTH,
                heading,
                "update_answers",
            )
        } else {
            let heading = "Answers of the add walkthrough";
            (
                questions::ADD_AUTH,
                questions::UPDATE_AUTH,
                heading,
                "add_answers",
            )
        };
        let (mut only, mut shared) = (Vec::new(), Vec::<&Spec>::new());
        for (i, spec) in own.iter().enumerate() {
            if own[..i].iter().any(|s| s.id == spec.id) {
                continue;
            }
            if other.iter().any(|s| s.id == spec.id) {
                shared.push(spec);
            } else {
                only.push(spec);
            }
        }
        [
            (heading, group, only),
            ("Answers of the walkthrough", "answers", shared),
        ]
    }
}

/// Any text, with the words a shell may complete.
#[derive(Clone)]
struct Words(Vec<&'static str>);

impl clap::builder::TypedValueParser for Words {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            self.0.iter().map(|w| clap::builder::PossibleValue::new(*w)),
        ))
    }
}

impl<const UPDATE: bool> Args for WalkFlags<UPDATE> {
    fn augment_args(mut cmd: clap::Command) -> clap::Command {
        for (heading, group, specs) in Self::sections() {
            let ids = specs.iter().map(|s| s.id);
            cmd = cmd
                .next_help_heading(heading)
                .group(ArgGroup::new(group).multiple(true).args(ids));
            for spec in specs {
                let mut arg = Arg::new(spec.id)
                    .long(spec.id)
                    .action(ArgAction::Set)
                    .value_name(spec.value_name())
                    .help(spec.help_line())
                    // A private key in PEM starts with dashes.
                    .allow_hyphen_values(spec.id == questions::APPLE_PRIVATE_KEY);
                // A one-word answer's words, for shell completion only: the
                // walkthrough checks the value and names the flag itself.
                let words: Vec<&'static str> = spec.value_name().split('|').collect();
                if words.len() > 1 {
                    arg = arg.value_parser(Words(words)).hide_possible_values(true);
                }
                cmd = cmd.arg(arg);
            }
        }
        cmd
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

impl<const UPDATE: bool> FromArgMatches for WalkFlags<UPDATE> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let given = Self::sections()
            .into_iter()
            .flat_map(|(_, _, specs)| specs)
            .filter_map(|spec| Some((spec.id, matches.get_one::<String>(spec.id)?.clone())))
            .collect();
        Ok(WalkFlags { given })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// A Gen 2 backend (amplify/auth/resource.ts, amplify/backend.ts) for the current env
    Gen2(ExportGen2Args),
}

#[derive(Debug, Args)]
pub struct ExportGen2Args {
    /// Folder for the Gen 2 backend, inside the project (default: gen2)
    #[arg(long, value_name = "DIR", default_value = "gen2")]
    pub out: PathBuf,
    /// Replace files that exist and differ
    #[arg(long)]
    pub force: bool,
    /// Imported auth: write `backend.addOutput` instead of `referenceAuth`
    #[arg(long)]
    pub add_output: bool,
    /// Managed auth: reference this env's pool, clients, identity pool and roles
    /// (`referenceAuth`; the default when the pool holds users or signs in with user names)
    #[arg(long, conflicts_with = "define")]
    pub reference: bool,
    /// Managed auth: express the settings with `defineAuth` (a new pool when the Gen 2 app deploys)
    #[arg(long)]
    pub define: bool,
    /// After a `referenceAuth` export of managed auth: make the Gen 1 resource an
    /// imported one with the same ids (offered in a terminal), so that the Gen 1
    /// project can no longer delete the pool
    #[arg(long, conflicts_with = "define")]
    pub detach: bool,
}

#[derive(Debug, Subcommand)]
pub enum OverrideCommand {
    /// Create (if missing) and check the managed auth resource's override.json
    Auth(OverrideAuthArgs),
}

#[derive(Debug, Args)]
pub struct OverrideAuthArgs {
    /// Only check the file (types, values, Cognito's rules); create nothing
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Subcommand)]
pub enum UpdateCommand {
    /// Change the Amplify-managed auth resource (Amplify's menu, or its UpdateAuthRequest)
    Auth(UpdateAuthArgs),
    /// Change who may do what with the storage bucket
    Storage(StorageArgs),
}

#[derive(Debug, Args)]
pub struct UpdateAuthArgs {
    /// Read Amplify's UpdateAuthRequest JSON (version 2) from stdin
    #[arg(long, conflicts_with_all = ["update_answers", "answers"])]
    pub headless: bool,
    #[command(flatten)]
    pub answers: WalkFlags<true>,
}

#[derive(Debug, Args)]
pub struct StorageArgs {
    /// Read the answers as JSON from stdin: {"version":1,"resourceName":..,"bucketName":..,"authAccess":[..],"guestAccess":[..]}
    #[arg(long, conflicts_with_all = ["name", "bucket_name", "auth_access", "guest_access"])]
    pub headless: bool,
    /// Friendly resource name (letters and digits)
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Bucket name without the env suffix (authwiz adds -<env>); add only: an
    /// existing resource's bucket is fixed
    #[arg(long, value_name = "NAME")]
    pub bucket_name: Option<String>,
    /// Signed-in users: create,read,delete (any of them)
    #[arg(long, value_name = "LIST")]
    pub auth_access: Option<String>,
    /// Guests: create,read,delete; empty or absent for no guest access
    #[arg(long, value_name = "LIST")]
    pub guest_access: Option<String>,
}

#[derive(Debug, Args)]
pub struct PushArgs {
    /// Show what would happen; change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Delete user pools that hold users (removed managed auth) without typing their names
    #[arg(long)]
    pub delete_users: bool,
    /// Make a managed user pool again when the one the last push recorded is gone
    /// (deleted outside authwiz); its users are not restored
    #[arg(long)]
    pub recreate: bool,
    /// Replace a managed user pool whose create-only settings changed (sign-in
    /// attributes, case sensitivity, required attributes): a new pool with its
    /// clients, groups and domain, the users restored into it from a backup
    /// taken first, the identity pool moved to it; the old pool is kept (retired)
    #[arg(long)]
    pub replace_user_pool: bool,
    /// Also read every managed auth resource the last push made (not only the
    /// changed ones) and set back what was changed outside authwiz
    #[arg(long)]
    pub check_cloud: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Project name (3-20 letters and digits)
    #[arg(long, value_name = "NAME")]
    pub project_name: Option<String>,
    /// First environment's name (2-10 lowercase letters)
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
    /// javascript, ios, android or flutter
    #[arg(long, value_name = "FRONTEND")]
    pub frontend: Option<String>,
    /// Where the client configuration files go (javascript: SourceDir; android/flutter: ResDir)
    #[arg(long, value_name = "DIR")]
    pub source_dir: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum EnvCommand {
    /// Add an environment and check it out
    Add(EnvAddArgs),
    /// Switch to another environment
    Checkout {
        /// Environment name
        name: String,
    },
    /// List environments
    #[command(alias = "ls")]
    List {
        /// Show each environment's records
        #[arg(long)]
        details: bool,
        /// Machine-readable output on stdout
        #[arg(long)]
        json: bool,
    },
    /// Remove an environment's local records, and with --delete-cloud what
    /// its pushes made in the cloud
    Remove {
        /// Environment name
        name: String,
        /// Also delete the env's cloud resources: its managed auth, the policies
        /// storage put on its roles, and the roles authwiz made (shown first)
        #[arg(long)]
        delete_cloud: bool,
        /// Delete user pools that hold users without typing their names
        #[arg(long, requires = "delete_cloud")]
        delete_users: bool,
    },
}

#[derive(Debug, Args)]
pub struct EnvAddArgs {
    /// Environment name (2-10 lowercase letters)
    pub name: Option<String>,
    /// Headless ids per category, e.g. '{"auth":{"userPoolId":..,"webClientId":..,"nativeClientId":..,"identityPoolId":..}}'
    /// (default: AMPLIFY_USERPOOL_ID, AMPLIFY_WEBCLIENT_ID, AMPLIFY_NATIVECLIENT_ID, AMPLIFY_IDENTITYPOOL_ID)
    #[arg(long, value_name = "JSON")]
    pub categories: Option<String>,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Machine-readable output on stdout
    #[arg(long)]
    pub json: bool,
    /// Also check that every imported id of the current env still exists (read-only AWS calls)
    #[arg(long)]
    pub check_cloud: bool,
}

/// The completion script for `shell`, from the same definitions as the parser.
pub fn completions(shell: clap_complete::Shell) -> String {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "authwiz", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The manual page (roff), from the same definitions as the parser.
pub fn man_page() -> String {
    use clap::CommandFactory;
    let mut out = Vec::new();
    // Rendering into memory has no I/O to fail.
    if let Err(e) = clap_mangen::Man::new(Cli::command()).render(&mut out) {
        return format!(".\\\" the manual could not be rendered: {e}\n");
    }
    String::from_utf8_lossy(&out).into_owned()
}
