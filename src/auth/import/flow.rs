//! The import walkthrough as a step machine. A step asks through the [`Asker`]
//! (which answers from flags, headless JSON, `AMPLIFY_*` variables or `--yes`
//! defaults before it would prompt), reads through [`Discovery`], and tells the
//! user through [`Notices`]; it never prints, prompts or branches on how it is run.

use crate::auth::error::AuthError;
use crate::auth::ids::{
    AUTH_TYPE_Q, ClientId, GivenIds, IDENTITY_POOL_Q, IdentityPoolId, NATIVE_CLIENT_Q, USER_POOL_Q,
    UserPoolId, WEB_CLIENT_Q,
};
use crate::auth::model::{AuthSelections, Imported, LinkedIdentityPool, RoleRef};
use crate::auth::trust;
use crate::cloud::CloudError;
use crate::cloud::cognito_identity::{CognitoIdentity, IdentityPool};
use crate::cloud::cognito_idp::{AppClient, CognitoIdp, UserPool};
use crate::cloud::iam::Iam;
use crate::notice::{Notice, Notices};
use crate::prompt::{Asker, Choice, Question};

use super::discovery::Discovery;
use super::rules::{
    OAuthCheck, PoolClients, compare_oauth, linked_roles, no_identity_pool_for_clients_error,
    pool_candidates, pools_for_clients, require, social_attribute_problems, split_clients,
};

const FILTER_HELP: &str = "(Type in a partial name or scroll up and down to reveal more choices)";

/// One import to resolve: for `import auth`, or for an env's imported resource
/// (type fixed, name kept).
#[derive(Clone, Debug)]
pub struct Request {
    pub resource_name: String,
    pub region: String,
    pub env: String,
    /// Fixed by an existing resource (env add / checkout); asked otherwise.
    pub fixed: Option<AuthSelections>,
}

impl GivenIds {
    /// The resource type the given ids imply: an identity pool id means both
    /// pools; the three user pool ids alone mean the user pool only.
    pub fn implied_type(&self) -> Option<AuthSelections> {
        if self.identity_pool.is_some() {
            Some(AuthSelections::IdentityPoolAndUserPool)
        } else if self.user_pool.is_some()
            && self.web_client.is_some()
            && self.native_client.is_some()
        {
            Some(AuthSelections::UserPoolOnly)
        } else {
            None
        }
    }

    /// Every pre-answer these ids give the walkthrough.
    pub fn all_answers(&self) -> Vec<(&'static str, String)> {
        let mut out = self.answers();
        if let Some(t) = self.implied_type() {
            out.push((AUTH_TYPE_Q, t.as_str().to_string()));
        }
        out
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Type,
    Pool,
    Clients,
    OAuth,
    IdentityPool,
    Done,
}

/// Which of the two clients a step is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Web,
    Native,
}

impl Side {
    fn kind(self) -> &'static str {
        match self {
            Side::Web => "Web",
            Side::Native => "Native",
        }
    }
}

/// What the walkthrough has chosen so far.
#[derive(Default)]
struct Chosen {
    selections: Option<AuthSelections>,
    pool: Option<UserPool>,
    /// The pool's clients, when a client step chooses among them.
    clients: Option<PoolClients>,
    candidates: Vec<IdentityPool>,
    web: Option<AppClient>,
    native: Option<AppClient>,
    oauth: Option<crate::auth::model::OAuthSettings>,
    native_urls: Option<(Vec<String>, Vec<String>)>,
    identity: Option<LinkedIdentityPool>,
}

/// Runs the walkthrough (or, with every id given, only the validation) and
/// returns what to import. Reads only.
pub async fn resolve<P: CognitoIdp, I: CognitoIdentity, R: Iam>(
    disc: &Discovery<'_, P, I, R>,
    asker: &mut Asker<'_>,
    notices: &mut dyn Notices,
    req: &Request,
) -> Result<Imported, AuthError> {
    let mut flow = Flow { disc, req, notices };
    flow.run(asker).await
}

struct Flow<'f, 'd, 'a, P, I, R> {
    disc: &'d Discovery<'a, P, I, R>,
    req: &'f Request,
    notices: &'f mut dyn Notices,
}

fn given_id<T>(
    asker: &Asker,
    q: &'static str,
    parse: fn(&str) -> Result<T, String>,
) -> Result<Option<T>, AuthError> {
    asker
        .given(q)
        .map(|s| parse(s).map_err(|reason| AuthError::bad_id(reason, q)))
        .transpose()
}

async fn maybe<F: std::future::Future>(f: Option<F>) -> Option<F::Output> {
    match f {
        Some(f) => Some(f.await),
        None => None,
    }
}

impl<P: CognitoIdp, I: CognitoIdentity, R: Iam> Flow<'_, '_, '_, P, I, R> {
    async fn run(&mut self, asker: &mut Asker<'_>) -> Result<Imported, AuthError> {
        let pool = given_id(asker, USER_POOL_Q, UserPoolId::parse)?;
        if let Some(pool) = &pool
            && pool.region() != self.req.region
        {
            return Err(AuthError::RegionMismatch {
                pool: pool.to_string(),
                pool_region: pool.region().to_string(),
                env: self.req.env.clone(),
                env_region: self.req.region.clone(),
            });
        }
        self.prefetch(asker, pool.as_ref()).await?;
        let mut c = Chosen::default();
        let mut step = Step::Type;
        while step != Step::Done {
            step = match step {
                Step::Type => {
                    c.selections = Some(self.ask_type(asker)?);
                    Step::Pool
                }
                Step::Pool => {
                    self.pick_pool(asker, &mut c).await?;
                    Step::Clients
                }
                Step::Clients => {
                    self.pick_clients(asker, &mut c).await?;
                    Step::OAuth
                }
                Step::OAuth => {
                    if self.check_oauth(asker, &mut c)? {
                        Step::IdentityPool
                    } else {
                        Step::Clients
                    }
                }
                Step::IdentityPool => {
                    if c.selections == Some(AuthSelections::IdentityPoolAndUserPool) {
                        self.pick_identity_pool(asker, &mut c).await?;
                    }
                    Step::Done
                }
                Step::Done => Step::Done,
            };
        }
        let pool = c.pool.expect("the pool step ran");
        let mfa = self.disc.mfa(&pool).await;
        Ok(Imported {
            resource_name: self.req.resource_name.clone(),
            selections: c.selections.expect("the type step ran"),
            region: self.req.region.clone(),
            pool,
            web: c.web.expect("the client step ran"),
            native: c.native.expect("the client step ran"),
            identity: c.identity,
            oauth: c.oauth,
            native_urls: c.native_urls,
            mfa,
        })
    }

    /// Given ids are read at once (the steps then find them remembered).
    async fn prefetch(
        &self,
        asker: &Asker<'_>,
        pool: Option<&UserPoolId>,
    ) -> Result<(), AuthError> {
        let Some(pool) = pool else {
            return Ok(());
        };
        let web = given_id(asker, WEB_CLIENT_Q, ClientId::parse)?;
        let native =
            given_id(asker, NATIVE_CLIENT_Q, ClientId::parse)?.filter(|n| Some(n) != web.as_ref());
        let identity = given_id(asker, IDENTITY_POOL_Q, IdentityPoolId::parse)?
            .filter(|_| self.req.fixed != Some(AuthSelections::UserPoolOnly));
        let d = self.disc;
        // Failures are remembered too; the step that needs the answer reports them.
        let _ = futures::join!(
            d.user_pool(pool.as_str()),
            maybe(web.map(|w| d.client(pool.as_str(), w.to_string()))),
            maybe(native.map(|n| d.client(pool.as_str(), n.to_string()))),
            maybe(identity.map(|i| d.identity_pool(i.to_string()))),
        );
        Ok(())
    }

    fn busy(&mut self, msg: &str) {
        self.notices.notice(Notice::Busy(Some(msg.into())));
    }

    fn idle(&mut self) {
        self.notices.notice(Notice::Busy(None));
    }

    fn ask_type(&mut self, asker: &mut Asker) -> Result<AuthSelections, AuthError> {
        if let Some(fixed) = self.req.fixed {
            return Ok(fixed);
        }
        let choices = [
            Choice::new(
                "Cognito User Pool and Identity Pool",
                AuthSelections::IdentityPoolAndUserPool.as_str(),
            ),
            Choice::new(
                "Cognito User Pool only",
                AuthSelections::UserPoolOnly.as_str(),
            ),
        ];
        let q = Question::new(
            AUTH_TYPE_Q,
            "What type of auth resource do you want to import?",
            "--identity-pool-id ID (User Pool and Identity Pool) or only the user pool flags",
        );
        let i = asker.select(&q, &choices, 0)?;
        Ok(if i == 0 {
            AuthSelections::IdentityPoolAndUserPool
        } else {
            AuthSelections::UserPoolOnly
        })
    }

    /// The pool's clients (and identity pool candidates) if it can be imported.
    async fn validate_pool(
        &mut self,
        pool_id: &str,
        selections: AuthSelections,
    ) -> Result<(PoolClients, Vec<IdentityPool>), AuthError> {
        let clients = split_clients(self.disc.clients(pool_id).await?)?;
        let candidates = if selections == AuthSelections::IdentityPoolAndUserPool {
            self.busy("Looking up identity pools...");
            let pools = self.disc.identity_pools().await;
            self.idle();
            pool_candidates(&pools?, pool_id, &clients)
        } else {
            Vec::new()
        };
        require(selections, &candidates)?;
        Ok((clients, candidates))
    }

    async fn pick_pool(&mut self, asker: &mut Asker<'_>, c: &mut Chosen) -> Result<(), AuthError> {
        let selections = c.selections.expect("type first");
        let pool_id = match asker.given(USER_POOL_Q) {
            Some(id) => id.to_string(),
            None => self.choose_pool(asker, selections).await?,
        };
        let pool = match self.disc.user_pool(&pool_id).await {
            Err(e) if e.is_not_found() => {
                return Err(AuthError::UserPoolNotFound {
                    id: pool_id,
                    region: self.req.region.clone(),
                });
            }
            other => other?,
        };
        // Given clients that are not the pool's are named before the pool's own rules.
        for (q, kind) in [(WEB_CLIENT_Q, "web"), (NATIVE_CLIENT_Q, "native")] {
            if let Some(id) = asker.given(q) {
                self.given_client(&pool_id, id, kind).await?;
            }
        }
        // Choosing among clients or identity pools needs them all; given ids do not.
        let all_given = asker.is_given(WEB_CLIENT_Q)
            && asker.is_given(NATIVE_CLIENT_Q)
            && (selections == AuthSelections::UserPoolOnly || asker.is_given(IDENTITY_POOL_Q));
        if !all_given {
            let (clients, candidates) = self.validate_pool(&pool_id, selections).await?;
            c.clients = Some(clients);
            c.candidates = candidates;
        }
        c.pool = Some(pool);
        Ok(())
    }

    /// A client given by id, checked to be one of the pool's.
    async fn given_client(
        &mut self,
        pool_id: &str,
        id: &str,
        kind: &'static str,
    ) -> Result<AppClient, AuthError> {
        match self.disc.client(pool_id, id.to_string()).await {
            Ok(c) => Ok(c),
            Err(e) if e.is_not_found() => {
                let all = self.disc.clients(pool_id).await?;
                Err(AuthError::ClientNotInPool {
                    kind,
                    id: id.to_string(),
                    pool: pool_id.to_string(),
                    clients: names(&all),
                })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Lists the region's pools and lets the user choose one that qualifies.
    async fn choose_pool(
        &mut self,
        asker: &mut Asker<'_>,
        selections: AuthSelections,
    ) -> Result<String, AuthError> {
        self.busy("Fetching Cognito User Pools...");
        let listed = self.disc.user_pools().await;
        self.idle();
        let mut pools = match listed {
            Ok(p) => p,
            Err(CloudError::AccessDenied {
                action, message, ..
            }) => {
                self.notices.notice(Notice::Warn(format!(
                    "These credentials may not list user pools ({action}: {message}). Grant {action} to pick from a list; you can type the pool id instead."
                )));
                let q = Question::new(USER_POOL_Q, "Enter the User Pool ID:", "--user-pool-id ID")
                    .required();
                let id = asker.text(&q, None, Some(|s| UserPoolId::parse(s).map(|_| ())))?;
                return Ok(id);
            }
            Err(e) => return Err(e.into()),
        };
        if pools.is_empty() {
            return Err(AuthError::NoUserPools(self.req.region.clone()));
        }
        if pools.len() == 1 {
            let id = pools[0].id.clone();
            if let Err(e) = self.validate_pool(&id, selections).await {
                return Err(AuthError::OnlyPoolUnfit {
                    id,
                    reason: e.to_string(),
                });
            }
            self.notices.notice(Notice::Check(format!(
                "Only one Cognito User Pool ({id}) found and it was automatically selected."
            )));
            return Ok(id);
        }
        pools.sort_by_key(|p| label(&p.name, &p.id));
        loop {
            let choices: Vec<Choice> = pools
                .iter()
                .map(|p| Choice::new(label(&p.name, &p.id), p.id.clone()))
                .collect();
            let q = Question::new(
                USER_POOL_Q,
                "Select the User Pool you want to import:",
                "--user-pool-id ID",
            )
            .help(FILTER_HELP)
            .required();
            let i = asker.select(&q, &choices, 0)?;
            let id = pools[i].id.clone();
            match self.validate_pool(&id, selections).await {
                Ok(_) => return Ok(id),
                Err(e) => {
                    // Say what the pool lacks and offer the others.
                    self.notices.notice(Notice::Problem(e.to_string()));
                    pools.remove(i);
                    if pools.is_empty() {
                        return Err(AuthError::NoPoolFits);
                    }
                }
            }
        }
    }

    async fn pick_clients(
        &mut self,
        asker: &mut Asker<'_>,
        c: &mut Chosen,
    ) -> Result<(), AuthError> {
        let pool_id = c.pool.as_ref().expect("pool first").id.clone();
        loop {
            let (web, web_auto) = match asker.given(WEB_CLIENT_Q) {
                Some(id) => {
                    let web = self.given_client(&pool_id, id, "web").await?;
                    if !web.is_web() {
                        let all = split_clients(self.disc.clients(&pool_id).await?)?;
                        return Err(AuthError::WebClientHasSecret {
                            name: web.name,
                            id: web.id,
                            web_clients: names(&all.web),
                        });
                    }
                    (web, false)
                }
                None => {
                    let clients = c.clients.as_ref().expect("listed when not given");
                    self.choose_client(asker, &clients.web, Side::Web)?
                }
            };
            let (native, native_auto) = match asker.given(NATIVE_CLIENT_Q) {
                Some(id) => (self.given_client(&pool_id, id, "native").await?, false),
                None => {
                    let clients = c.clients.as_ref().expect("listed when not given");
                    self.choose_client(asker, &clients.native, Side::Native)?
                }
            };
            let asked = !asker.is_given(WEB_CLIENT_Q) || !asker.is_given(NATIVE_CLIENT_Q);
            if web.id == native.id && asked && !(web_auto && native_auto) {
                let q = Question::new(
                    "change-clients",
                    "It is recommended to use different app clients for web and native application, You have chosen the same app client for both. Do you want to change this?",
                    "--web-client-id and --native-client-id",
                );
                if asker.confirm(&q, false)? {
                    continue;
                }
            }
            c.web = Some(web);
            c.native = Some(native);
            return Ok(());
        }
    }

    /// The only client of a side (chosen automatically), or the user's choice;
    /// true when it was automatic.
    fn choose_client(
        &mut self,
        asker: &mut Asker,
        clients: &[AppClient],
        side: Side,
    ) -> Result<(AppClient, bool), AuthError> {
        let kind = side.kind();
        if let [only] = clients {
            self.notices.notice(Notice::Check(format!(
                "Only one {kind} app client found: '{}' was automatically selected.",
                only.name
            )));
            if side == Side::Native {
                self.notices.notice(Notice::Warn(
                    "It is recommended to use different app client for web and native application."
                        .into(),
                ));
            }
            return Ok((only.clone(), true));
        }
        self.notices.notice(Notice::Info(format!(
            "The User Pool has multiple {kind} app clients configured."
        )));
        let mut sorted = clients.to_vec();
        sorted.sort_by_key(|a| label(&a.name, &a.id));
        let choices: Vec<Choice> = sorted
            .iter()
            .map(|c| {
                // Native choices say which clients have a secret (web ones never do).
                let suffix = match (side, c.secret.is_some()) {
                    (Side::Web, _) => "",
                    (Side::Native, true) => " (has app client secret)",
                    (Side::Native, false) => " ",
                };
                Choice::new(format!("{}{suffix}", label(&c.name, &c.id)), c.id.clone())
            })
            .collect();
        let (id, flag) = match side {
            Side::Web => (WEB_CLIENT_Q, "--web-client-id ID"),
            Side::Native => (NATIVE_CLIENT_Q, "--native-client-id ID"),
        };
        let q = Question::new(id, format!("Select a {kind} client to import:"), flag)
            .help(FILTER_HELP)
            .required();
        Ok((sorted[asker.select(&q, &choices, 0)?].clone(), false))
    }

    /// True to go on; false to choose clients again.
    fn check_oauth(&mut self, asker: &mut Asker, c: &mut Chosen) -> Result<bool, AuthError> {
        let (web, native) = (
            c.web.clone().expect("clients first"),
            c.native.clone().expect("clients first"),
        );
        c.native_urls = None;
        match compare_oauth(&web, &native) {
            OAuthCheck::NotConfigured => {
                self.notices.notice(Notice::Check(
                    "Federated identity providers are not configured, no OAuth configuration needed."
                        .into(),
                ));
                c.oauth = None;
            }
            OAuthCheck::Matching(settings) => c.oauth = Some(settings),
            OAuthCheck::Mismatching {
                settings,
                mismatches,
                urls_only,
            } => {
                // Reselecting only helps when a client step will really ask.
                let can_reselect = c.clients.as_ref().is_some_and(|clients| {
                    (!asker.is_given(WEB_CLIENT_Q) && clients.web.len() > 1)
                        || (!asker.is_given(NATIVE_CLIENT_Q) && clients.native.len() > 1)
                });
                if can_reselect || !urls_only {
                    self.notices.notice(Notice::Problem(
                        "The following OAuth properties are not matching:".into(),
                    ));
                    for m in &mismatches {
                        let n = m.web.len().max(m.native.len());
                        let rows: Vec<Vec<String>> = (0..n)
                            .map(|i| {
                                vec![
                                    m.web.get(i).cloned().unwrap_or_default(),
                                    m.native.get(i).cloned().unwrap_or_default(),
                                ]
                            })
                            .collect();
                        self.notices.notice(Notice::Table {
                            title: m.title.into(),
                            header: vec![web.name.clone(), native.name.clone()],
                            rows,
                        });
                    }
                }
                if urls_only {
                    let keep = if can_reselect {
                        let choices = [
                            Choice::new(
                                "Continue with each client's own callback and logout URLs",
                                "continue",
                            ),
                            Choice::new("Select new app clients", "reselect"),
                        ];
                        let q = Question::new(
                            "oauth-urls",
                            "The web and native clients differ only in their callback and logout URLs. What do you want to do?",
                            "--yes",
                        );
                        asker.select(&q, &choices, 0)? == 0
                    } else {
                        self.notices.notice(Notice::Warn("The web and native clients differ only in their callback and logout URLs; each keeps its own (web: aws-exports.js, native: mobile configuration).".into()));
                        true
                    };
                    if !keep {
                        self.notices
                            .notice(Notice::Info("Select new app clients".into()));
                        return Ok(false);
                    }
                    c.native_urls =
                        Some((native.callback_urls.clone(), native.logout_urls.clone()));
                } else if can_reselect {
                    self.notices
                        .notice(Notice::Info("Select new app clients".into()));
                    return Ok(false);
                } else {
                    return Err(AuthError::OAuthMismatch);
                }
                c.oauth = Some(settings);
            }
        }
        if let Some(o) = &c.oauth {
            if o.flows_user_pool_client && o.logout_urls.is_empty() {
                self.notices.notice(Notice::Warn(format!(
                    "App client '{}' has OAuth enabled but no sign-out URL. The full OAuth block is written with an empty redirectSignOut; add a sign-out URL to the client (Cognito console → App client → Login pages) so sign-out redirects work.",
                    web.name
                )));
            }
            if o.providers.iter().any(|p| p != "COGNITO") {
                let pool = c.pool.as_ref().expect("pool first");
                for problem in social_attribute_problems(pool, &[&web, &native]) {
                    self.notices.notice(Notice::Warn(problem));
                }
            }
        }
        Ok(true)
    }

    /// Identity pools of the region that use this pool with these clients (lists
    /// every identity pool: for choosing, and for naming the choices in an error).
    async fn linked_candidates(
        &mut self,
        pool: &str,
        web: &AppClient,
        native: &AppClient,
    ) -> Result<Vec<IdentityPool>, AuthError> {
        self.busy("Looking up identity pools...");
        let all = self.disc.identity_pools().await;
        self.idle();
        Ok(pools_for_clients(&all?, pool, &web.id, &native.id))
    }

    async fn pick_identity_pool(
        &mut self,
        asker: &mut Asker<'_>,
        c: &mut Chosen,
    ) -> Result<(), AuthError> {
        let pool = c.pool.clone().expect("pool first");
        let (web, native) = (
            c.web.clone().expect("clients first"),
            c.native.clone().expect("clients first"),
        );
        let chosen = match given_id(asker, IDENTITY_POOL_Q, IdentityPoolId::parse)? {
            Some(id) => match self.disc.identity_pool(id.to_string()).await {
                Ok(ip)
                    if !pools_for_clients(
                        std::slice::from_ref(&ip),
                        &pool.id,
                        &web.id,
                        &native.id,
                    )
                    .is_empty() =>
                {
                    ip
                }
                Ok(ip) => {
                    let choices = self.linked_candidates(&pool.id, &web, &native).await?;
                    return Err(AuthError::IdentityPoolNotLinked {
                        id: ip.id,
                        name: ip.name,
                        pool: pool.id,
                        clients: format!("{} and {}", web.id, native.id),
                        choices: pool_labels(&choices),
                    });
                }
                Err(e) if e.is_not_found() => {
                    let choices = self.linked_candidates(&pool.id, &web, &native).await?;
                    return Err(AuthError::IdentityPoolNotFound {
                        id: id.to_string(),
                        region: self.req.region.clone(),
                        choices: pool_labels(&choices),
                    });
                }
                Err(e) => return Err(e.into()),
            },
            None => {
                let mut narrowed = pools_for_clients(&c.candidates, &pool.id, &web.id, &native.id);
                if narrowed.is_empty() {
                    return Err(no_identity_pool_for_clients_error(&web, &native));
                }
                if narrowed.len() == 1 {
                    let only = narrowed.remove(0);
                    self.notices.notice(Notice::Check(format!(
                        "Only one Identity Pool resource found: '{}' ({}) was automatically selected.",
                        only.name, only.id
                    )));
                    only
                } else {
                    self.notices.notice(Notice::Info(
                        " Multiple Identity Pools are configured for the selected Cognito User Pool."
                            .into(),
                    ));
                    narrowed.sort_by_key(|a| label(&a.name, &a.id));
                    let choices: Vec<Choice> = narrowed
                        .iter()
                        .map(|p| Choice::new(label(&p.name, &p.id), p.id.clone()))
                        .collect();
                    let q = Question::new(
                        IDENTITY_POOL_Q,
                        "Select the Identity Pool you want to import:",
                        "--identity-pool-id ID",
                    )
                    .help(FILTER_HELP)
                    .required();
                    narrowed[asker.select(&q, &choices, 0)?].clone()
                }
            }
        };
        let roles = self.disc.identity_pool_roles(&chosen.id).await?;
        let (auth_role, unauth_role) = linked_roles(&chosen, &roles)?;
        self.check_trust(&chosen, &auth_role, unauth_role.as_ref())
            .await;
        c.identity = Some(LinkedIdentityPool {
            pool: chosen,
            auth_role,
            unauth_role,
        });
        Ok(())
    }

    /// Reads both roles' trust policies and warns (with the fix) when they do not
    /// trust this identity pool for the right identities.
    async fn check_trust(&mut self, pool: &IdentityPool, auth: &RoleRef, unauth: Option<&RoleRef>) {
        let mut roles = vec![(auth, "authenticated")];
        roles.extend(unauth.map(|u| (u, "unauthenticated")));
        let names: Vec<String> = roles.iter().map(|(r, _)| r.name.clone()).collect();
        let read = self.disc.iam_roles(&names).await;
        for ((role, amr), got) in roles.iter().zip(read) {
            match got {
                Ok(doc) => {
                    for problem in trust::check(&role.name, &doc.trust_policy, &pool.id, amr) {
                        self.notices.notice(Notice::Warn(problem));
                    }
                }
                Err(e) => self.notices.notice(Notice::Warn(format!(
                    "Could not read the trust policy of IAM role '{}' ({e}); it was not checked.",
                    role.name
                ))),
            }
        }
    }
}

pub fn label(name: &str, id: &str) -> String {
    format!("{name} ({id})")
}

fn names(clients: &[AppClient]) -> String {
    let v: Vec<String> = clients.iter().map(|c| label(&c.name, &c.id)).collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

fn pool_labels(pools: &[IdentityPool]) -> String {
    let v: Vec<String> = pools.iter().map(|p| label(&p.name, &p.id)).collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}
