//! Managed auth on the engine without a network: the fixtures' configurations
//! deployed on the in-memory cloud; a failure at every mutating call undoes
//! everything; a run killed after every mutating call is completed by the next
//! one without a duplicate; a second plan is empty.

use authwiz::auth::model::CliInputs;
use authwiz::auth::triggers::{Trigger, TriggerFacts, TriggerSource};
use authwiz::cloud::fake::{FakeCloud, LostReplies};
use authwiz::project::Store;
use authwiz::push::cognito::Managed;
use authwiz::push::engine::{Journal, JournalFile, Plan};
use authwiz::push::managed_auth::{Deployment, EnvFacts, deployment};
use authwiz::push::providers::{engine_over, providers};
use authwiz::push::registry::Registry;
use serde_json::json;

use crate::support::*;

const JOURNAL: &str = "amplify/.config/local-authwiz-push-auth.json";

fn config(step: &str, res: &str) -> CliInputs {
    let path = repo()
        .join("tests/fixtures/amplify-cli-14.2.2-managed")
        .join(step)
        .join("amplify/backend/auth")
        .join(res)
        .join("cli-inputs.json");
    serde_json::from_value(read_json(path)).unwrap()
}

fn facts(res: &str, groups: &[(&str, i32)]) -> EnvFacts {
    EnvFacts {
        project: "mgdmfa".into(),
        env: "dev".into(),
        region: "us-east-1".into(),
        resource: res.into(),
        auth_role: "amplify-mgdmfa-dev-12345-authRole".into(),
        unauth_role: "amplify-mgdmfa-dev-12345-unauthRole".into(),
        social_creds: Some(
            json!([{"ProviderName": "Google", "client_id": "gid", "client_secret": "gsecret"}])
                .to_string(),
        ),
        env_params: Default::default(),
        groups: groups
            .iter()
            .map(|(g, p)| (g.to_string(), Some(*p)))
            .collect(),
        strict: true,
        overrides: Default::default(),
        triggers: Vec::new(),
    }
}

/// A trigger function's package and hash, as a push reads them from `src/`.
fn package() -> (Vec<u8>, String) {
    let zip = authwiz::auth::triggers::package::zip(&[(
        "index.js".to_string(),
        b"exports.handler = async (e) => e;".to_vec(),
    )]);
    let sha = authwiz::auth::triggers::package::code_sha256(&zip);
    (zip, sha)
}

/// An attached function's ARN (it is not authwiz's: never created or deleted).
const ATTACHED: &str = "arn:aws:lambda:us-east-1:123456789012:function:existing-migration";

/// The MFA fixture: SMS role and policy, pool, clients, identity pool, env
/// roles, group roles, groups, attachment; every kind but domain and social.
/// With two triggers: a function of the project (add to group) and an
/// existing function attached.
fn mfa() -> Deployment {
    let c = config("52-mfa-add-auth", "mfaauth");
    let mut f = facts("mfaauth", &[("admins", 1), ("users", 2)]);
    let (zip, sha) = package();
    f.triggers = vec![
        TriggerFacts {
            trigger: Trigger::PostConfirmation,
            source: TriggerSource::Function {
                name: "mfaauthPostConfirmation".into(),
                modules: vec!["add-to-group".into()],
                params: [("GROUP".to_string(), "admins".to_string())].into(),
                code_sha256: sha,
            },
        },
        TriggerFacts {
            trigger: Trigger::UserMigration,
            source: TriggerSource::Attached {
                arn: ATTACHED.into(),
            },
        },
    ];
    let mut d = deployment(&c.cognito_config, &f).unwrap();
    d.code = [("mfaauthPostConfirmation-dev".to_string(), zip)].into();
    d
}

/// The OAuth fixture: hosted UI domain and Google.
fn oauth() -> Deployment {
    let c = config("62-oauth-add-auth", "oauthauth");
    deployment(&c.cognito_config, &facts("oauthauth", &[])).unwrap()
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

/// A registry as a new push process starts it: pools looked for by name,
/// and what an unfinished push's journal says.
fn registry(d: &Deployment, journal: Option<&Journal>) -> Registry {
    let r = Registry::default();
    r.search_for(&d.keys.user_pool);
    if let Some(ip) = &d.keys.identity_pool {
        r.search_for(ip);
    }
    r.resume(journal);
    r
}

fn plan(cloud: &FakeCloud, d: &Deployment, registry: &Registry, journal: Option<&Journal>) -> Plan {
    let m = Managed { cloud, registry };
    let list = providers(&m, cloud, &d.code);
    let engine = engine_over(&list);
    block_on(engine.plan(&d.targets, journal)).unwrap()
}

/// The trigger function's package, as every push of [`mfa`] reads it.
fn code() -> std::collections::BTreeMap<String, Vec<u8>> {
    [("mfaauthPostConfirmation-dev".to_string(), package().0)].into()
}

fn apply(
    cloud: &FakeCloud,
    registry: &Registry,
    plan: &Plan,
    journal: &JournalFile,
) -> Result<(), String> {
    let m = Managed { cloud, registry };
    let code = code();
    let list = providers(&m, cloud, &code);
    let engine = engine_over(&list);
    block_on(engine.apply(plan, journal)).map_err(|f| format!("{} {}", f.step, f.error))
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("amplify/.config")).unwrap();
    let store = Store::new(dir.path().to_path_buf());
    (dir, store)
}

/// One of each: pool, clients, identity pool; roles and groups as asked.
fn assert_deployed_once(cloud: &FakeCloud, d: &Deployment, groups: usize) {
    let pools = cloud.user_pools_named(&d.keys.user_pool.name);
    assert_eq!(pools.len(), 1, "{pools:?}");
    let clients = cloud.pool_clients(&pools[0]);
    assert_eq!(clients.len(), 2, "{clients:?}");
    assert_eq!(cloud.pool_groups(&pools[0]).len(), groups);
    let ip = d.keys.identity_pool.as_ref().unwrap();
    let ips = cloud.identity_pools_named(&ip.name);
    assert_eq!(ips.len(), 1, "{ips:?}");
    let roles = cloud.managed_pool_roles(&ips[0]).unwrap();
    assert!(roles.auth_role.unwrap().ends_with("-authRole"));
    for (group, _) in &d.keys.group_roles {
        let name = format!("{}-{group}GroupRole", pools[0]);
        assert!(cloud.role(&name).is_some(), "{name}");
    }
    if d.code.is_empty() {
        return;
    }
    // The trigger function, its role, Cognito's permissions and the pool's triggers.
    let functions = cloud.functions();
    assert_eq!(functions.len(), 1, "{functions:?}");
    let (arn, f) = &functions["mfaauthPostConfirmation-dev"];
    assert_eq!(f.environment["GROUP"], "admins");
    assert_eq!(f.environment["MODULES"], "add-to-group");
    assert!(cloud.role("mfaauthPostConfirmation-dev").is_some());
    let permissions = cloud.invoke_permissions();
    assert_eq!(permissions.len(), 2, "{permissions:?}");
    let lc = cloud.pool_lambda_config(&pools[0]).unwrap();
    assert_eq!(lc.post_confirmation.as_deref(), Some(arn.as_str()));
    assert_eq!(lc.user_migration.as_deref(), Some(ATTACHED));
}

#[test]
fn each_fixture_configuration_is_deployed_and_then_nothing_is_left_to_do() {
    for (d, groups) in [(mfa(), 2), (oauth(), 0)] {
        let cloud = FakeCloud::new();
        let (_dir, store) = store();
        let journal = JournalFile {
            store: &store,
            rel: JOURNAL,
        };
        let r = registry(&d, None);
        let p = plan(&cloud, &d, &r, None);
        assert!(p.steps.iter().all(|s| s.action.label() == "create"));
        apply(&cloud, &r, &p, &journal).unwrap();
        assert_deployed_once(&cloud, &d, groups);
        assert!(!store.exists(JOURNAL));
        // A new process with nothing recorded finds it all by name.
        cloud.reset_calls();
        let again = plan(&cloud, &d, &registry(&d, None), None);
        assert!(again.is_empty(), "{:#?}", again.steps);
        assert!(
            cloud
                .calls()
                .iter()
                .all(|c| c.contains(":Get") || c.contains(":Describe") || c.contains(":List")),
            "{:?}",
            cloud.calls()
        );
    }
    // The OAuth pool's domain and Google sign-in.
    let d = oauth();
    assert!(
        d.targets
            .iter()
            .any(|t| t.key.kind == "user-pool-domain" && t.key.name == "mgdprojoauth-dev")
    );
}

/// Mutating calls of a full deployment, in order.
fn mutating_calls(d: &Deployment) -> Vec<String> {
    let cloud = FakeCloud::new();
    let (_dir, store) = store();
    let journal = JournalFile {
        store: &store,
        rel: JOURNAL,
    };
    let r = registry(d, None);
    let p = plan(&cloud, d, &r, None);
    cloud.reset_calls();
    apply(&cloud, &r, &p, &journal).unwrap();
    cloud
        .calls()
        .into_iter()
        .filter(|c| !(c.contains(":Get") || c.contains(":Describe") || c.contains(":List")))
        .collect()
}

#[test]
fn a_failure_at_any_mutating_call_takes_back_everything_the_push_made() {
    for d in [mfa(), oauth()] {
        let calls = mutating_calls(&d);
        assert!(calls.len() >= 8, "{calls:?}");
        for (i, op) in calls.iter().enumerate() {
            let n = calls[..=i].iter().filter(|c| *c == op).count();
            let cloud = FakeCloud::new();
            let (_dir, store) = store();
            let journal = JournalFile {
                store: &store,
                rel: JOURNAL,
            };
            let r = registry(&d, None);
            let p = plan(&cloud, &d, &r, None);
            cloud.fail(op, n);
            let err = apply(&cloud, &r, &p, &journal).unwrap_err();
            assert!(err.contains("injected failure"), "{err}");
            assert_eq!(cloud.managed_count(), 0, "after a failure of {op} #{n}");
            assert!(
                cloud.role("amplify-mgdmfa-dev-12345-authRole").is_none(),
                "after a failure of {op} #{n}"
            );
            assert!(!store.exists(JOURNAL), "after a failure of {op} #{n}");
        }
    }
}

/// Applies `plan` through a connection that loses the replies the cloud was
/// told to lose.
fn apply_losing_replies(
    cloud: &FakeCloud,
    registry: &Registry,
    plan: &Plan,
    journal: &JournalFile,
) -> Result<(), String> {
    let lossy = LostReplies(cloud);
    let m = Managed {
        cloud: &lossy,
        registry,
    };
    let code = code();
    let list = providers(&m, cloud, &code);
    let engine = engine_over(&list);
    block_on(engine.apply(plan, journal)).map_err(|f| format!("{} {}", f.step, f.error))
}

#[test]
fn a_create_whose_reply_is_lost_is_found_and_taken_back_and_never_made_twice() {
    let creates = [
        "create_user_pool",
        "set_mfa",
        "create_client",
        "create_domain",
        "create_provider",
        "create_group",
        "create_identity_pool",
        "set_pool_roles",
        "create_role",
        "create_function",
        "add_invoke_permission",
    ];
    let mut exercised = 0;
    for (d, groups) in [(mfa(), 2), (oauth(), 0)] {
        for call in creates {
            let cloud = FakeCloud::new();
            let (_dir, store) = store();
            let journal = JournalFile {
                store: &store,
                rel: JOURNAL,
            };
            let r = registry(&d, None);
            let p = plan(&cloud, &d, &r, None);
            cloud.lose_reply(call, 1);
            let Err(err) = apply_losing_replies(&cloud, &r, &p, &journal) else {
                continue; // this configuration makes no such call
            };
            exercised += 1;
            assert!(err.contains("reply was lost"), "{call}: {err}");
            // Carried out though unanswered: found by name and undone with the rest.
            assert_eq!(cloud.managed_count(), 0, "after the lost reply of {call}");
            assert!(
                cloud.role("amplify-mgdmfa-dev-12345-authRole").is_none(),
                "after the lost reply of {call}"
            );
            assert!(!store.exists(JOURNAL), "after the lost reply of {call}");
            // The next push makes everything once.
            let r = registry(&d, None);
            let p = plan(&cloud, &d, &r, None);
            apply(&cloud, &r, &p, &journal).unwrap_or_else(|e| panic!("{call}: {e}"));
            assert_deployed_once(&cloud, &d, groups);
        }
    }
    assert!(exercised >= creates.len(), "{exercised}");
}

#[test]
fn pools_share_one_namespace_with_what_other_tools_made() {
    use authwiz::cloud::cognito_idp::CognitoIdp;
    let d = mfa();
    // Another tool's pool under the name the push would give its own: found
    // by name, and refused (no authwiz tag) rather than taken over.
    let cloud = FakeCloud::new();
    let theirs = cloud.add_user_pool(&d.keys.user_pool.name);
    let r = registry(&d, None);
    let m = Managed {
        cloud: &cloud,
        registry: &r,
    };
    let list = providers(&m, &cloud, &d.code);
    let err = block_on(engine_over(&list).plan(&d.targets, None)).unwrap_err();
    assert!(err.to_string().contains("authwiz did not make it"), "{err}");
    assert_eq!(cloud.user_pools_named(&d.keys.user_pool.name), [theirs]);

    // What a push made is what the import side lists and describes.
    let cloud = FakeCloud::new();
    let (_dir, store) = store();
    let journal = JournalFile {
        store: &store,
        rel: JOURNAL,
    };
    let r = registry(&d, None);
    let p = plan(&cloud, &d, &r, None);
    apply(&cloud, &r, &p, &journal).unwrap();
    let id = cloud.user_pools_named(&d.keys.user_pool.name)[0].clone();
    let listed = block_on(cloud.list_user_pools()).unwrap();
    assert!(listed.iter().any(|p| p.id == id), "{listed:?}");
    let pool = block_on(cloud.describe_user_pool(&id)).unwrap();
    assert_eq!(pool.name, d.keys.user_pool.name);
    let clients = block_on(cloud.list_clients(&id)).unwrap();
    assert_eq!(clients.len(), 2, "{clients:?}");
}

#[test]
fn aws_defaults_read_back_are_neither_drift_nor_lost_by_an_update() {
    let d = mfa();
    let cloud = FakeCloud::new();
    let (_dir, store) = store();
    let journal = JournalFile {
        store: &store,
        rel: JOURNAL,
    };
    let r = registry(&d, None);
    let p = plan(&cloud, &d, &r, None);
    apply(&cloud, &r, &p, &journal).unwrap();
    // The pool reads back with what AWS fills in (DeletionProtection,
    // AdminCreateUserConfig, ...): nothing to do.
    let r = registry(&d, None);
    assert!(plan(&cloud, &d, &r, None).is_empty());
    // A change sends the defaults back as the pool has them.
    let mut changed = d.clone();
    for t in &mut changed.targets {
        if t.key == d.keys.user_pool {
            t.desired.as_mut().unwrap()["spec"]["minLength"] = json!(16);
        }
    }
    let r = registry(&changed, None);
    let p = plan(&cloud, &changed, &r, None);
    assert_eq!(p.steps.len(), 1, "{:?}", p.steps);
    apply(&cloud, &r, &p, &journal).unwrap();
    let id = cloud.user_pools_named(&d.keys.user_pool.name)[0].clone();
    let pool = cloud.managed_pool(&id).unwrap();
    assert_eq!(pool.min_length, 16);
    let admin = pool.others.admin_create_user_config.unwrap();
    assert_eq!(admin.unused_account_validity_days, Some(7));
    assert_eq!(
        pool.overrides.deletion_protection.as_deref(),
        Some("INACTIVE")
    );
}

#[test]
fn a_push_killed_after_any_mutating_call_is_completed_without_duplicates() {
    for (d, groups) in [(mfa(), 2), (oauth(), 0)] {
        let total = mutating_calls(&d).len();
        for lives in 0..total {
            let cloud = FakeCloud::new();
            let (_dir, store) = store();
            let journal = JournalFile {
                store: &store,
                rel: JOURNAL,
            };
            let r = registry(&d, None);
            let p = plan(&cloud, &d, &r, None);
            cloud.die_after(lives);
            assert!(apply(&cloud, &r, &p, &journal).is_err());
            cloud.revive();
            // The next push: a new process, the journal the killed one left.
            let left = Journal::read(&store, JOURNAL).unwrap();
            let r = registry(&d, left.as_ref());
            let p = plan(&cloud, &d, &r, left.as_ref());
            apply(&cloud, &r, &p, &journal).unwrap_or_else(|e| panic!("killed after {lives}: {e}"));
            assert_deployed_once(&cloud, &d, groups);
            assert!(plan(&cloud, &d, &registry(&d, None), None).is_empty());
        }
    }
}

#[test]
fn mfa_is_turned_on_after_its_method_and_a_client_whose_id_is_gone_is_found_by_name() {
    // The default fixture: MFA off.
    let c = config("42-default-add-auth", "mgdprojauth");
    let d = deployment(&c.cognito_config, &facts("mgdprojauth", &[])).unwrap();
    let cloud = FakeCloud::new();
    let (_dir, store) = store();
    let journal = JournalFile {
        store: &store,
        rel: JOURNAL,
    };
    let r = registry(&d, None);
    let p = plan(&cloud, &d, &r, None);
    apply(&cloud, &r, &p, &journal).unwrap();
    // OPTIONAL with TOTP: SetUserPoolMfaConfig must come before the mode.
    let mut on = c.cognito_config.clone();
    on.mfa_configuration = Some(authwiz::auth::model::MfaMode::Optional);
    on.mfa_types = Some(vec!["TOTP".into()]);
    let d = deployment(&on, &facts("mgdprojauth", &[])).unwrap();
    let r = registry(&d, None);
    let p = plan(&cloud, &d, &r, None);
    apply(&cloud, &r, &p, &journal).unwrap();
    let pool = cloud.user_pools_named(&d.keys.user_pool.name)[0].clone();
    let spec = cloud.managed_pool(&pool).unwrap();
    assert_eq!((spec.mfa.as_str(), spec.totp_mfa), ("OPTIONAL", true));
    // A recorded client id that no longer exists: the client is found by name.
    let r = registry(&d, None);
    r.know(&d.keys.web_client, "gone0000000000000000000000", None);
    assert!(plan(&cloud, &d, &r, None).is_empty());
    assert_eq!(cloud.pool_clients(&pool).len(), 2);
}
