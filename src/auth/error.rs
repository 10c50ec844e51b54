//! The auth domain's errors: each variant says what is wrong and carries the fix.

use crate::cloud::CloudError;
use crate::project::{ProjectError, StoreError};
use crate::prompt::PromptError;

pub const HEADLESS_EXAMPLE: &str = "Pipe a JSON object like {\"version\":1,\"userPoolId\":\"...\",\"webClientId\":\"...\",\"nativeClientId\":\"...\",\"identityPoolId\":\"...\"} (identityPoolId optional) into `authwiz import auth --headless`.";

/// Where env ids can be given without a terminal.
pub const WHERE_TO_SUPPLY: &str = "Supply them with --categories '{\"auth\":{\"userPoolId\":\"...\",\"webClientId\":\"...\",\"nativeClientId\":\"...\",\"identityPoolId\":\"...\"}}' or the variables AMPLIFY_USERPOOL_ID, AMPLIFY_WEBCLIENT_ID, AMPLIFY_NATIVECLIENT_ID and AMPLIFY_IDENTITYPOOL_ID (https://docs.amplify.aws/cli/usage/headless/#--categories).";

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(transparent)]
    Cloud(#[from] CloudError),
    #[error(transparent)]
    Prompt(#[from] PromptError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    ManagedFiles(#[from] crate::auth::managed::load::LoadError),
    #[error(transparent)]
    Project(#[from] ProjectError),

    #[error("{reason} (from {given_by}).\nCorrect {given_by} and run the command again.")]
    BadId { reason: String, given_by: String },
    #[error("{0}\n{HEADLESS_EXAMPLE}")]
    HeadlessPayload(String),
    #[error(
        "`import auth --yes` imports the resources named by flags; missing: {0}.\nPass --user-pool-id, --web-client-id and --native-client-id (and --identity-pool-id to import an identity pool), or run without --yes in a terminal to choose from lists."
    )]
    MissingFlags(String),
    #[error("{what}\n{WHERE_TO_SUPPLY}")]
    EnvIds { what: String },

    #[error(
        "User pool {pool} is in region {pool_region}, but environment '{env}' uses {env_region}.\nImport a user pool from {env_region}, or add an environment in {pool_region} (`authwiz env add NAME --region {pool_region}`)."
    )]
    RegionMismatch {
        pool: String,
        pool_region: String,
        env: String,
        env_region: String,
    },
    #[error(
        "User pool {id} does not exist in {region}.\nCheck the id and the environment's region ({region}); `aws cognito-idp list-user-pools --max-results 60` lists the pools."
    )]
    UserPoolNotFound { id: String, region: String },
    #[error(
        "No Cognito User Pools were found in the configured region: {0}.\nCreate a user pool in this region, or use an environment in the region of your pool (`authwiz env add NAME --region REGION`)."
    )]
    NoUserPools(String),
    #[error(
        "Only one Cognito User Pool '{id}' found, but it does not meet the requirements for import:\n{reason}"
    )]
    OnlyPoolUnfit { id: String, reason: String },
    #[error(
        "None of the region's user pools meets the requirements for import.\nSee the messages above for what each pool lacks."
    )]
    NoPoolFits,
    #[error(
        "The selected Cognito User Pool does not have at least 1 Web app client configured. Web app clients are app clients without a client secret.\nCreate an app client without a client secret in the user pool (Cognito console → App integration → App clients), then run the import again."
    )]
    NoWebClient,
    #[error(
        "App client {id} is not a client of user pool {pool} (given as the {kind} client).\nIts clients: {clients}."
    )]
    ClientNotInPool {
        kind: &'static str,
        id: String,
        pool: String,
        clients: String,
    },
    /// An env's recorded client is gone (Amplify's wording for env init).
    #[error(
        "The previously configured {kind} app client cannot be found.\nApp client {id} is not a client of user pool {pool}. Its clients: {clients}."
    )]
    PreviousClientGone {
        kind: &'static str,
        id: String,
        pool: String,
        clients: String,
    },
    #[error(
        "The previously configured Identity Pool: '' ({id}) cannot be found.\nNo identity pool {id} exists in {region}; check the id."
    )]
    PreviousIdentityPoolGone { id: String, region: String },
    #[error(
        "App client '{name}' ({id}) has a client secret, so it cannot be the web client (browsers cannot keep a secret).\nWeb clients (no secret): {web_clients}."
    )]
    WebClientHasSecret {
        name: String,
        id: String,
        web_clients: String,
    },
    #[error(
        "OAuth properties for the app clients are not matching.\nMake the web and native clients' identity providers, OAuth flows and scopes the same (Cognito console → App client → Login pages), or choose other clients."
    )]
    OAuthMismatch,
    #[error(
        "There are no Identity Pools found which has the selected Cognito User Pool configured as identity provider.\nAdd the user pool and its app clients as a Cognito identity provider of an identity pool (Cognito console → Identity pools → User access), or import the User Pool only."
    )]
    NoIdentityPool,
    #[error(
        "There are no Identity Pools found which has the selected app clients configured as identity providers.\nAdd both app clients ('{web_name}' {web_id} and '{native_name}' {native_id}) to the identity pool's Cognito identity providers, or choose other clients."
    )]
    NoIdentityPoolForClients {
        web_name: String,
        web_id: String,
        native_name: String,
        native_id: String,
    },
    #[error(
        "Identity pool {id} does not exist in {region}.\nCheck the id; identity pools of this user pool and clients: {choices}."
    )]
    IdentityPoolNotFound {
        id: String,
        region: String,
        choices: String,
    },
    #[error(
        "Identity pool '{name}' ({id}) does not use user pool {pool} with clients {clients}.\nAdd them to its Cognito identity providers, or choose one that does: {choices}."
    )]
    IdentityPoolNotLinked {
        id: String,
        name: String,
        pool: String,
        /// `<web> and <native>`
        clients: String,
        choices: String,
    },
    #[error(
        "Cannot import Identity Pool without 'authenticated' and 'unauthenticated' roles.\nSet the roles of identity pool '{name}' ({id}) (Cognito console → Identity pools → User access, or `aws cognito-identity set-identity-pool-roles`), then run the import again."
    )]
    MissingRoles { name: String, id: String },
    #[error(
        "Cannot parse arn: '{0}'.\nSet an IAM role ARN (arn:aws:iam::<account>:role/<path/>Name) as the identity pool's role."
    )]
    BadRoleArn(String),

    #[error(
        "Auth has already been added to this project. To update run amplify update auth.\nauthwiz links existing Cognito resources; to import instead, remove the managed auth resource first (`authwiz remove auth`)."
    )]
    AlreadyManaged,
    /// An answer of the `add auth` walkthrough that authwiz does not build.
    #[error("{answer}: not supported.\n{why}")]
    NotInWalkthrough { answer: String, why: String },
    #[error(
        "{flag} answers \"{question}\", which the other answers leave out.\nDrop {flag}, or change the answers that skip the question."
    )]
    FlagNotApplicable { flag: String, question: String },
    #[error(
        "Auth has already been imported to this project and cannot be modified from the CLI. To modify, run \"authwiz remove auth\" to unlink the imported auth resource. Then run \"authwiz import auth\".\nAuth resource '{name}' links other resources in environment '{env}'. Unlink it with `authwiz remove auth {name}` (Cognito resources are not deleted), then import again."
    )]
    AlreadyImported { name: String, env: String },
    #[error(
        "Import cancelled; nothing was changed.\nRun `authwiz import auth` again to choose other resources."
    )]
    Cancelled,

    #[error(
        "{path} is missing for the imported auth resource '{res}'.\nRestore it from version control, or unlink the resource with `authwiz remove auth` and import again."
    )]
    MissingParameters { path: String, res: String },
    #[error(
        "Environment '{0}' has no region in team-provider-info.json.\nSet {0}.awscloudformation.Region in amplify/team-provider-info.json."
    )]
    NoRegion(String),
    #[error(
        "The previously imported '{res}' auth resource was imported from '{old}' region and the new environment's region is: '{new}', import a new resource to finish the creation of the new environment.\nGive ids of resources in {new} for '{env}'. {WHERE_TO_SUPPLY}"
    )]
    RegionChanged {
        res: String,
        env: String,
        old: String,
        new: String,
    },
    #[error(
        "Environment '{env}' has no ids for the imported auth resource '{res}' (team-provider-info.json → {env}.categories.auth.{res}).\n{WHERE_TO_SUPPLY}"
    )]
    NoEnvIds { env: String, res: String },
    #[error(
        "Environment '{env}' needs ids for the imported auth resource '{res}' (no terminal to ask \"{question}\").\nPass --yes to reuse the recorded ids, or give them: {WHERE_TO_SUPPLY}"
    )]
    EnvNeedsIds {
        env: String,
        res: String,
        question: String,
    },
    #[error(
        "There was an error importing the previously configured auth configuration to environment '{env}':\n{inner}\nNothing was changed. Either unlink the resource (`authwiz remove auth {res}`, then `authwiz import auth`), or give working ids for '{env}' (the AMPLIFY_USERPOOL_ID, AMPLIFY_WEBCLIENT_ID, AMPLIFY_NATIVECLIENT_ID, AMPLIFY_IDENTITYPOOL_ID variables, or --categories with env add)."
    )]
    EnvInitFailed {
        env: String,
        res: String,
        inner: Box<AuthError>,
    },
    #[error(
        "Resource {name} has not been added to auth\nAuth resources in this project: {resources}."
    )]
    NotAdded { name: String, resources: String },
    #[error(
        "Auth cannot be removed because the analytics category depends on it\nRun `amplify remove analytics` first, then retry removing auth"
    )]
    AnalyticsDepends,
    #[error(
        "Resource cannot be removed because it has a dependency on another resource\nDependency: {service} - {resource} ({category}) depends on auth '{name}'. Remove the dependency first ({}), then retry.",
        dependency_way_out(.category, .resource)
    )]
    Dependency {
        service: String,
        category: String,
        resource: String,
        name: String,
    },
    #[error(
        "Project does not contain auth resources. Add auth using `amplify add auth`.\nAdd it with `authwiz add auth --headless` (or link existing Cognito resources with `authwiz import auth`), then update it."
    )]
    NoAuthToUpdate,
    #[error(
        "Updating imported Auth resource is not supported.\nAuth resource '{0}' links existing Cognito resources: change them in Cognito, or unlink it (`authwiz remove auth {0}`) and import other ones; nothing was changed."
    )]
    UpdateImported(String),
    #[error(
        "{0}\nSend Amplify's UpdateAuthRequest, e.g. {{\"version\":2,\"serviceModification\":{{\"serviceName\":\"Cognito\",\"userPoolModification\":{{\"passwordPolicy\":{{\"minimumLength\":10}}}},\"includeIdentityPool\":true,\"identityPoolModification\":{{}}}}}} (docs/commands.md lists every key); nothing was written."
    )]
    UpdateRequest(String),
    #[error(
        "The update request cannot be applied to auth resource '{res}': {reason}\nChange the request and run the command again; nothing was written."
    )]
    UpdateRefused { res: String, reason: String },
    #[error(
        "team-provider-info.json → {env}.categories.auth.{res} has a wrong value at {detail}.\nFix that key (ids are strings), or remove the entry and give the ids again."
    )]
    BadEnvParams {
        env: String,
        res: String,
        detail: String,
    },
}

impl AuthError {
    pub fn bad_id(reason: String, source: &str) -> Self {
        AuthError::BadId {
            reason,
            given_by: source.to_string(),
        }
    }
}

/// How to remove a resource that depends on auth: storage has its own command.
fn dependency_way_out(category: &str, resource: &str) -> String {
    if category == "storage" {
        format!("`authwiz remove storage {resource}`")
    } else {
        format!("remove or update '{resource}' so it no longer uses auth")
    }
}
