//! Command-line shape (clap derive types only).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
    /// No colours in the output
    #[arg(long, global = true)]
    pub no_color: bool,
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
    pub add: AddAnswers,
    // Boxed: its many flags would make every command value large.
    #[command(flatten)]
    pub answers: Box<AuthAnswers>,
}

/// Answers of the questions only `add auth` asks (fixed once the resource is added).
#[derive(Debug, Default, Args)]
#[group(id = "add_answers", multiple = true)]
#[command(next_help_heading = "Answers of the add walkthrough")]
pub struct AddAnswers {
    /// "Do you want to use the default authentication and security configuration?"
    #[arg(long, value_name = "default|social|manual")]
    pub default_config: Option<String>,
    /// Manual: "Provide a friendly name for your resource ..."
    #[arg(long, value_name = "NAME")]
    pub resource_name: Option<String>,
    /// Manual: "Enter a name for your identity pool."
    #[arg(long, value_name = "NAME")]
    pub identity_pool_name: Option<String>,
    /// Manual: "Provide a name for your user pool:"
    #[arg(long, value_name = "NAME")]
    pub user_pool_name: Option<String>,
    /// "How do you want users to be able to sign in?"
    #[arg(long, value_name = "username|email|phone|email-or-phone")]
    pub sign_in: Option<String>,
    /// Default configurations: "Do you want to configure advanced settings?"
    #[arg(long, value_name = "no|yes")]
    pub advanced_settings: Option<String>,
    /// With --advanced-settings yes, or manual: the attributes required at sign-up, e.g. email,name
    #[arg(long, value_name = "LIST")]
    pub required_attributes: Option<String>,
}

/// Answers of the walkthrough questions that `add auth` and `update auth` share
/// (each question's flag; lists are comma-separated).
#[derive(Debug, Default, Args)]
#[group(id = "answers", multiple = true)]
#[command(next_help_heading = "Answers of the walkthrough")]
pub struct AuthAnswers {
    /// Manual: "Select the authentication/authorization services that you want to use:"
    #[arg(long, value_name = "identity-pool-and-user-pool|user-pool-only")]
    pub auth_selections: Option<String>,
    /// Manual: "Allow unauthenticated logins?"
    #[arg(long, value_name = "yes|no")]
    pub unauthenticated_login: Option<String>,
    /// Manual: "Do you want to enable 3rd party authentication providers in your identity pool?"
    #[arg(long, value_name = "yes|no")]
    pub third_party_auth: Option<String>,
    /// Manual: the identity pool's providers: facebook,google,amazon,apple
    #[arg(long, value_name = "LIST")]
    pub identity_providers: Option<String>,
    /// "Enter your Facebook App ID for your identity pool:"
    #[arg(long, value_name = "ID")]
    pub facebook_app_id: Option<String>,
    /// "Enter your Google Web Client ID for your identity pool:"
    #[arg(long, value_name = "ID")]
    pub google_client_id: Option<String>,
    /// "Enter your Amazon App ID for your identity pool:"
    #[arg(long, value_name = "ID")]
    pub amazon_app_id: Option<String>,
    /// "Enter your Bundle Identifier for your identity pool:"
    #[arg(long, value_name = "ID")]
    pub apple_bundle_id: Option<String>,
    /// Manual: "Do you want to add User Pool Groups?"
    #[arg(long, value_name = "yes|no")]
    pub user_pool_groups: Option<String>,
    /// "Provide a name for your user pool group:" (each name; update: the groups to add)
    #[arg(long, value_name = "LIST")]
    pub group_names: Option<String>,
    /// "Sort the user pool groups in order of preference" (every group, highest precedence first)
    #[arg(long, value_name = "LIST")]
    pub group_order: Option<String>,
    /// Manual: "Do you want to add an admin queries API?" (only no)
    #[arg(long, value_name = "no")]
    pub admin_queries: Option<String>,
    /// Manual: "Multifactor authentication (MFA) user login options:"
    #[arg(long, value_name = "off|on|optional")]
    pub mfa: Option<String>,
    /// "For user login, select the MFA types:" sms,totp
    #[arg(long, value_name = "LIST")]
    pub mfa_types: Option<String>,
    /// "Specify an SMS authentication message:" (with {####})
    #[arg(long, value_name = "TEXT")]
    pub sms_auth_message: Option<String>,
    /// Manual: "Email based user registration/forgot password:"
    #[arg(long, value_name = "enabled|disabled")]
    pub email_registration: Option<String>,
    /// "Specify an email verification subject:"
    #[arg(long, value_name = "TEXT")]
    pub email_subject: Option<String>,
    /// "Specify an email verification message:" (with {####})
    #[arg(long, value_name = "TEXT")]
    pub email_message: Option<String>,
    /// "Please specify an SMS verification message:" (with {####})
    #[arg(long, value_name = "TEXT")]
    pub sms_verification_message: Option<String>,
    /// Manual: "Do you want to override the default password policy for this User Pool?"
    #[arg(long, value_name = "yes|no")]
    pub override_password_policy: Option<String>,
    /// "Enter the minimum password length for this User Pool:" (6-98)
    #[arg(long, value_name = "N")]
    pub password_min_length: Option<String>,
    /// "Select the password character requirements for your userpool:" lowercase,uppercase,numbers,symbols
    #[arg(long, value_name = "LIST")]
    pub password_characters: Option<String>,
    /// Manual: "Specify the app's refresh token expiration period (in days):" (1-3650)
    #[arg(long, value_name = "DAYS")]
    pub refresh_token_period: Option<String>,
    /// Manual: "Do you want to specify the user attributes this app can read and write?"
    #[arg(long, value_name = "yes|no")]
    pub set_attributes: Option<String>,
    /// "Specify read attributes:"
    #[arg(long, value_name = "LIST")]
    pub read_attributes: Option<String>,
    /// "Specify write attributes:" (the required attributes are writable anyway)
    #[arg(long, value_name = "LIST")]
    pub write_attributes: Option<String>,
    /// Lambda-trigger capabilities (none is supported; '' for none)
    #[arg(long, value_name = "LIST")]
    pub capabilities: Option<String>,
    /// Manual: "Do you want to use an OAuth flow?"
    #[arg(long, value_name = "yes|no")]
    pub oauth: Option<String>,
    /// "What domain name prefix do you want to use?"
    #[arg(long, value_name = "PREFIX")]
    pub domain_prefix: Option<String>,
    /// "Enter your redirect signin URI:" (each; update: the URIs to add)
    #[arg(long, value_name = "LIST")]
    pub redirect_signin_uris: Option<String>,
    /// "Enter your redirect signout URI:" (each; update: the URIs to add)
    #[arg(long, value_name = "LIST")]
    pub redirect_signout_uris: Option<String>,
    /// Manual, javascript: "Select the OAuth flows enabled for this project."
    #[arg(long, value_name = "code|implicit")]
    pub oauth_flow: Option<String>,
    /// Manual: "Select the OAuth scopes enabled for this project." phone,email,openid,profile,aws.cognito.signin.user.admin
    #[arg(long, value_name = "LIST")]
    pub oauth_scopes: Option<String>,
    /// The user pool's social providers: facebook,google,amazon,apple
    #[arg(long, value_name = "LIST")]
    pub social_providers: Option<String>,
    /// "Enter your Facebook App ID for your OAuth flow:"
    #[arg(long, value_name = "ID")]
    pub facebook_oauth_app_id: Option<String>,
    /// "Enter your Facebook App Secret for your OAuth flow:"
    #[arg(long, value_name = "SECRET")]
    pub facebook_oauth_app_secret: Option<String>,
    /// "Enter your Google Web Client ID for your OAuth flow:"
    #[arg(long, value_name = "ID")]
    pub google_oauth_client_id: Option<String>,
    /// "Enter your Google Web Client Secret for your OAuth flow:"
    #[arg(long, value_name = "SECRET")]
    pub google_oauth_client_secret: Option<String>,
    /// "Enter your Amazon App ID for your OAuth flow:"
    #[arg(long, value_name = "ID")]
    pub amazon_oauth_app_id: Option<String>,
    /// "Enter your Amazon App Secret for your OAuth flow:"
    #[arg(long, value_name = "SECRET")]
    pub amazon_oauth_app_secret: Option<String>,
    /// Sign in with Apple: "Enter your Services ID for your OAuth flow:"
    #[arg(long, value_name = "ID")]
    pub apple_services_id: Option<String>,
    /// "Enter your Team ID for your OAuth flow:"
    #[arg(long, value_name = "ID")]
    pub apple_team_id: Option<String>,
    /// "Enter your Key ID for your OAuth flow:"
    #[arg(long, value_name = "ID")]
    pub apple_key_id: Option<String>,
    /// "Enter your Private Key for your OAuth flow" (-----BEGIN PRIVATE KEY----- ... on one line)
    #[arg(long, value_name = "KEY", allow_hyphen_values = true)]
    pub apple_private_key: Option<String>,
    /// Manual: "Do you want to configure Lambda Triggers for Cognito?" (only no)
    #[arg(long, value_name = "no")]
    pub lambda_triggers: Option<String>,
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
    pub update: UpdateAnswers,
    // Boxed: its many flags would make every command value large.
    #[command(flatten)]
    pub answers: Box<AuthAnswers>,
}

/// Answers of the questions only `update auth` asks.
#[derive(Debug, Default, Args)]
#[group(id = "update_answers", multiple = true)]
#[command(next_help_heading = "Answers of the update menu")]
pub struct UpdateAnswers {
    /// "What do you want to do?"
    #[arg(
        long,
        value_name = "default|social|manual|callbacks|providers|groups|admin-queries"
    )]
    pub action: Option<String>,
    /// "Select any user pool groups you want to delete:"
    #[arg(long, value_name = "LIST")]
    pub delete_groups: Option<String>,
    /// "Which redirect signin URIs do you want to edit?"
    #[arg(long, value_name = "LIST")]
    pub edit_signin_uris: Option<String>,
    /// "Update <URI>": the new values of --edit-signin-uris, in order
    #[arg(long, value_name = "LIST")]
    pub updated_signin_uris: Option<String>,
    /// "Do you want to add redirect signin URIs?"
    #[arg(long, value_name = "yes|no")]
    pub add_signin_uris: Option<String>,
    /// "Which redirect signout URIs do you want to edit?"
    #[arg(long, value_name = "LIST")]
    pub edit_signout_uris: Option<String>,
    /// "Update <URI>": the new values of --edit-signout-uris, in order
    #[arg(long, value_name = "LIST")]
    pub updated_signout_uris: Option<String>,
    /// "Do you want to add redirect signout URIs?"
    #[arg(long, value_name = "yes|no")]
    pub add_signout_uris: Option<String>,
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
