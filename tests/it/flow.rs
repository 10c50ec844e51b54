//! The import flow against the in-memory cloud: every validation and recovery
//! path, and the calls it makes (none repeated, none for what is given), in
//! milliseconds and without a network.

use authwiz::auth::AuthError;
use authwiz::auth::ids::{ClientId, GivenIds, IdentityPoolId, UserPoolId};
use authwiz::auth::import::{Discovery, Request, resolve};
use authwiz::auth::model::{AuthSelections, Imported};
use authwiz::cloud::fake::FakeCloud;
use authwiz::notice::{Collected, Notice};
use authwiz::prompt::{Asker, NoTerminal, Prompter, Reply, ScriptedPrompter};

struct Corp {
    pool: String,
    web: String,
    native: String,
    ip: String,
}

/// The corp setup: a pool with a web and a native client, an identity pool
/// using both, and its two roles.
fn corp(cloud: &FakeCloud) -> Corp {
    let pool = cloud.add_user_pool("corp-users");
    let web = cloud.add_client(&pool, "corp-web", false);
    let native = cloud.add_client(&pool, "corp-native", true);
    let ip = cloud.add_identity_pool("corp_identity", &pool, &[&web, &native], true);
    let auth = cloud.add_role("corp-auth-role", &ip, "authenticated");
    let unauth = cloud.add_role("corp-unauth-role", &ip, "unauthenticated");
    cloud.set_roles(&ip, Some(&auth), Some(&unauth));
    Corp {
        pool,
        web,
        native,
        ip,
    }
}

fn ids(pool: &str, web: &str, native: &str, ip: Option<&str>) -> GivenIds {
    GivenIds {
        user_pool: Some(UserPoolId::parse(pool).unwrap()),
        web_client: Some(ClientId::parse(web).unwrap()),
        native_client: Some(ClientId::parse(native).unwrap()),
        identity_pool: ip.map(|i| IdentityPoolId::parse(i).unwrap()),
    }
}

fn request(fixed: Option<AuthSelections>) -> Request {
    Request {
        resource_name: "peerproj".into(),
        region: "us-east-1".into(),
        env: "dev".into(),
        fixed,
    }
}

struct Outcome {
    result: Result<Imported, AuthError>,
    notices: Collected,
    calls: Vec<String>,
}

/// Runs the flow with `given` pre-answered; `prompter` answers the rest
/// (`unattended`: nobody may be asked, as under --yes and headless).
fn run(
    cloud: &FakeCloud,
    given: &GivenIds,
    prompter: &mut dyn Prompter,
    unattended: bool,
    fixed: Option<AuthSelections>,
) -> Outcome {
    cloud.reset_calls();
    let disc = Discovery::new(cloud, cloud, cloud);
    let mut asker = Asker::new(prompter, unattended);
    for (q, v) in given.all_answers() {
        asker.give(q, Some(v));
    }
    let mut notices = Collected::default();
    let result = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(resolve(&disc, &mut asker, &mut notices, &request(fixed)));
    Outcome {
        result,
        notices,
        calls: cloud.calls(),
    }
}

fn headless(cloud: &FakeCloud, given: &GivenIds) -> Outcome {
    run(cloud, given, &mut NoTerminal, true, None)
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

const GIVEN_CALLS: [&str; 7] = [
    "cognito-identity:DescribeIdentityPool",
    "cognito-identity:GetIdentityPoolRoles",
    "cognito-idp:DescribeUserPool",
    "cognito-idp:DescribeUserPoolClient",
    "cognito-idp:DescribeUserPoolClient",
    "iam:GetRole",
    "iam:GetRole",
];

#[test]
fn given_ids_read_only_what_they_name_whatever_the_account_holds() {
    let cloud = FakeCloud::new();
    let c = corp(&cloud);
    let out = headless(&cloud, &ids(&c.pool, &c.web, &c.native, Some(&c.ip)));
    let imported = out.result.unwrap();
    assert_eq!(imported.selections, AuthSelections::IdentityPoolAndUserPool);
    assert_eq!(imported.web.id, c.web);
    assert_eq!(imported.native.id, c.native);
    let linked = imported.identity.unwrap();
    assert_eq!(linked.auth_role.name, "corp-auth-role");
    assert_eq!(linked.unauth_role.unwrap().name, "corp-unauth-role");
    assert_eq!(sorted(out.calls), GIVEN_CALLS);
    assert!(out.notices.texts().contains(
        &"Federated identity providers are not configured, no OAuth configuration needed.".into()
    ));
    // A large account: 1,000 other user pools and 500 other identity pools.
    for i in 0..1000 {
        let p = cloud.add_user_pool(&format!("other-{i}"));
        if i < 500 {
            let w = cloud.add_client(&p, "w", false);
            cloud.add_identity_pool(&format!("other_{i}"), &p, &[&w], false);
        }
    }
    let out = headless(&cloud, &ids(&c.pool, &c.web, &c.native, Some(&c.ip)));
    assert!(out.result.is_ok());
    assert_eq!(sorted(out.calls), GIVEN_CALLS);
    // The user pool only: four calls.
    let out = headless(&cloud, &ids(&c.pool, &c.web, &c.native, None));
    assert_eq!(out.result.unwrap().selections, AuthSelections::UserPoolOnly);
    assert_eq!(
        sorted(out.calls),
        [
            "cognito-idp:DescribeUserPool",
            "cognito-idp:DescribeUserPoolClient",
            "cognito-idp:DescribeUserPoolClient"
        ]
    );
}

fn error(out: Outcome) -> String {
    match out.result {
        Ok(i) => panic!("imported {}", i.pool.id),
        Err(e) => e.to_string(),
    }
}

#[test]
fn every_given_id_is_validated_with_what_is_wrong_and_the_choices() {
    let cloud = FakeCloud::new();
    let c = corp(&cloud);
    let err = error(headless(
        &cloud,
        &ids("eu-west-1_abc", &c.web, &c.native, None),
    ));
    assert!(
        err.starts_with(
            "User pool eu-west-1_abc is in region eu-west-1, but environment 'dev' uses us-east-1."
        ),
        "{err}"
    );
    assert!(cloud.calls().is_empty(), "a region mismatch makes no call");

    let err = error(headless(
        &cloud,
        &ids("us-east-1_nope", &c.web, &c.native, None),
    ));
    assert!(
        err.starts_with("User pool us-east-1_nope does not exist in us-east-1."),
        "{err}"
    );

    let err = error(headless(&cloud, &ids(&c.pool, "nosuch", &c.native, None)));
    assert!(
        err.contains("App client nosuch is not a client of user pool"),
        "{err}"
    );
    assert!(
        err.contains(&format!("corp-web ({})", c.web)),
        "lists the clients: {err}"
    );

    let err = error(headless(&cloud, &ids(&c.pool, &c.native, &c.native, None)));
    assert!(
        err.contains("has a client secret, so it cannot be the web client"),
        "{err}"
    );
    assert!(
        err.contains(&format!("Web clients (no secret): corp-web ({})", c.web)),
        "{err}"
    );

    let err = error(headless(&cloud, &ids(&c.pool, &c.web, "nosuch", None)));
    assert!(err.contains("(given as the native client)"), "{err}");

    let missing = "us-east-1:00000000-0000-0000-0000-000000000000";
    let err = error(headless(
        &cloud,
        &ids(&c.pool, &c.web, &c.native, Some(missing)),
    ));
    assert!(
        err.starts_with(&format!(
            "Identity pool {missing} does not exist in us-east-1."
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("corp_identity ({})", c.ip)),
        "names the choices: {err}"
    );

    let only_web = cloud.add_identity_pool("only_web", &c.pool, &[&c.web], true);
    let err = error(headless(
        &cloud,
        &ids(&c.pool, &c.web, &c.native, Some(&only_web)),
    ));
    assert!(
        err.starts_with(&format!(
            "Identity pool 'only_web' ({only_web}) does not use user pool {}",
            c.pool
        )),
        "{err}"
    );
    assert!(err.contains(&format!("corp_identity ({})", c.ip)), "{err}");

    let no_roles = cloud.add_identity_pool("no_roles", &c.pool, &[&c.web, &c.native], true);
    let err = error(headless(
        &cloud,
        &ids(&c.pool, &c.web, &c.native, Some(&no_roles)),
    ));
    assert!(
        err.starts_with(
            "Cannot import Identity Pool without 'authenticated' and 'unauthenticated' roles."
        ),
        "{err}"
    );

    // Clients whose OAuth settings differ beyond their URLs.
    cloud.edit_client(&c.pool, &c.web, |w| {
        w.identity_providers = vec!["COGNITO".into()];
        w.oauth_flows = vec!["code".into()];
    });
    let err = error(headless(
        &cloud,
        &ids(&c.pool, &c.web, &c.native, Some(&c.ip)),
    ));
    assert!(
        err.starts_with("OAuth properties for the app clients are not matching."),
        "{err}"
    );
}

#[test]
fn a_pool_without_web_clients_or_identity_pools_is_refused() {
    let cloud = FakeCloud::new();
    let pool = cloud.add_user_pool("secret-only");
    cloud.add_client(&pool, "native", true);
    let given = GivenIds {
        user_pool: Some(UserPoolId::parse(&pool).unwrap()),
        ..Default::default()
    };
    let mut p = ScriptedPrompter::new([("What type", Reply::Pick("User Pool only".into()))]);
    let err = error(run(&cloud, &given, &mut p, false, None));
    assert!(
        err.starts_with("The selected Cognito User Pool does not have at least 1 Web app client"),
        "{err}"
    );

    let pool = cloud.add_user_pool("no-identity");
    cloud.add_client(&pool, "web", false);
    let given = GivenIds {
        user_pool: Some(UserPoolId::parse(&pool).unwrap()),
        ..Default::default()
    };
    let mut p = ScriptedPrompter::new([(
        "What type",
        Reply::Pick("User Pool and Identity Pool".into()),
    )]);
    let err = error(run(&cloud, &given, &mut p, false, None));
    assert!(
        err.starts_with(
            "There are no Identity Pools found which has the selected Cognito User Pool"
        ),
        "{err}"
    );
}

#[test]
fn the_walkthrough_skips_unfit_pools_and_lets_the_user_choose_again() {
    let cloud = FakeCloud::new();
    let c = corp(&cloud);
    let unfit = cloud.add_user_pool("aaa-unfit");
    cloud.add_client(&unfit, "only-secret", true);
    let second_web = cloud.add_client(&c.pool, "corp-web-2", false);
    let mut p = ScriptedPrompter::new([
        ("What type", Reply::Pick("User Pool only".into())),
        ("Select the User Pool", Reply::Pick("aaa-unfit".into())),
        ("Select the User Pool", Reply::Pick("corp-users".into())),
        ("Select a Web client", Reply::Pick("corp-web (".into())),
        ("Select a Native client", Reply::Pick("corp-web (".into())),
        ("Do you want to change this?", Reply::Confirm(true)),
        ("Select a Web client", Reply::Pick("corp-web-2".into())),
        ("Select a Native client", Reply::Pick("corp-native".into())),
    ]);
    let out = run(&cloud, &GivenIds::default(), &mut p, false, None);
    assert!(p.finished(), "{:?}", p.transcript);
    let imported = out.result.unwrap();
    assert_eq!(imported.web.id, second_web);
    assert_eq!(imported.native.id, c.native);
    assert!(
        out.notices
            .0
            .iter()
            .any(|n| matches!(n, Notice::Problem(t) if t.contains("at least 1 Web app client")))
    );
    // Every read once: the pools listed once, each pool's clients once.
    let calls = out.calls;
    assert_eq!(
        calls
            .iter()
            .filter(|c| *c == "cognito-idp:ListUserPools")
            .count(),
        1
    );
    assert_eq!(
        calls
            .iter()
            .filter(|c| *c == "cognito-idp:ListUserPoolClients")
            .count(),
        2
    );
    assert_eq!(
        calls
            .iter()
            .filter(|c| *c == "cognito-idp:DescribeUserPool")
            .count(),
        1
    );
}

#[test]
fn a_denied_pool_listing_asks_for_the_id_instead() {
    let cloud = FakeCloud::new();
    let c = corp(&cloud);
    cloud.deny("cognito-idp:ListUserPools");
    let mut p = ScriptedPrompter::new([
        ("What type", Reply::Pick("User Pool only".into())),
        ("Enter the User Pool ID", Reply::Text(c.pool.clone())),
        ("Select a Native client", Reply::Pick("corp-native".into())),
    ]);
    let out = run(&cloud, &GivenIds::default(), &mut p, false, None);
    assert!(p.finished(), "{:?}", p.transcript);
    assert_eq!(out.result.unwrap().pool.id, c.pool);
    assert!(
        out.notices
            .0
            .iter()
            .any(|n| matches!(n, Notice::Warn(t) if t.contains("may not list user pools")))
    );
}

#[test]
fn unattended_runs_never_pick_a_resource_by_default() {
    let cloud = FakeCloud::new();
    corp(&cloud);
    cloud.add_user_pool("second");
    // The env's type is fixed; nobody may be asked which pool.
    let out = run(
        &cloud,
        &GivenIds::default(),
        &mut NoTerminal,
        true,
        Some(AuthSelections::UserPoolOnly),
    );
    let err = error(out);
    assert!(
        err.contains("No answer for \"Select the User Pool you want to import:\""),
        "{err}"
    );
    assert!(err.contains("--user-pool-id ID"), "{err}");
}

#[test]
fn clients_that_differ_only_in_urls_keep_their_own() {
    let cloud = FakeCloud::new();
    let c = corp(&cloud);
    let oauth = |urls: &'static str| {
        move |a: &mut authwiz::cloud::cognito_idp::AppClient| {
            a.identity_providers = vec!["COGNITO".into()];
            a.oauth_flows = vec!["code".into()];
            a.oauth_scopes = vec!["openid".into()];
            a.oauth_flows_user_pool_client = true;
            a.callback_urls = vec![format!("{urls}/in")];
            a.logout_urls = vec![format!("{urls}/out")];
        }
    };
    cloud.edit_client(&c.pool, &c.web, oauth("https://web.example"));
    cloud.edit_client(&c.pool, &c.native, oauth("myapp://"));
    let out = headless(&cloud, &ids(&c.pool, &c.web, &c.native, Some(&c.ip)));
    let imported = out.result.unwrap();
    assert_eq!(
        imported.native_urls,
        Some((vec!["myapp:///in".into()], vec!["myapp:///out".into()]))
    );
    assert_eq!(
        imported.oauth.unwrap().callback_urls,
        ["https://web.example/in"]
    );
    assert!(out.notices.0.iter().any(|n| matches!(n, Notice::Warn(t) if t.contains("differ only in their callback and logout URLs"))));
}
