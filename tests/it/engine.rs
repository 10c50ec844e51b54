//! The apply engine without a network: ordering, rollback of every step kind at
//! every step, resume after a run killed at every step, and the storage
//! providers on the in-memory cloud.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use authwiz::cloud::CloudError;
use authwiz::cloud::fake::FakeCloud;
use authwiz::project::Store;
use authwiz::push::engine::{Action, Engine, Journal, JournalFile, Key, Plan, Provider, Target};
use authwiz::push::storage::{self as push_storage, Buckets, RolePolicies, Roles};
use authwiz::storage::{Access, StorageSettings};
use futures::future::LocalBoxFuture;
use serde_json::{Value, json};

const JOURNAL: &str = "amplify/.config/local-authwiz-push.json";

/// A resource type kept in memory; a value with `"immutable"` changed needs a
/// replacement. It can fail its n-th operation, or die (fail everything) after n.
#[derive(Default)]
struct Things {
    state: RefCell<BTreeMap<String, Value>>,
    ops: RefCell<Vec<String>>,
    fail_at: Cell<Option<usize>>,
    dead_after: Cell<Option<usize>>,
}

impl Things {
    fn with(items: &[(&str, Value)]) -> Things {
        let t = Things::default();
        for (k, v) in items {
            t.state.borrow_mut().insert(k.to_string(), v.clone());
        }
        t
    }

    fn op(&self, what: String) -> Result<(), CloudError> {
        let n = self.ops.borrow().len() + 1;
        if self.dead_after.get().is_some_and(|d| n > d) {
            return Err(CloudError::Failed {
                action: "things",
                message: "the process is gone".into(),
            });
        }
        self.ops.borrow_mut().push(what);
        if self.fail_at.get() == Some(n) {
            return Err(CloudError::Failed {
                action: "things",
                message: format!("injected failure of operation {n}"),
            });
        }
        Ok(())
    }

    fn snapshot(&self) -> BTreeMap<String, Value> {
        self.state.borrow().clone()
    }
}

impl Provider for Things {
    fn kind(&self) -> &'static str {
        "thing"
    }

    fn read<'a>(&'a self, key: &'a Key) -> LocalBoxFuture<'a, Result<Option<Value>, CloudError>> {
        Box::pin(async move { Ok(self.state.borrow().get(&key.name).cloned()) })
    }

    fn create<'a>(
        &'a self,
        key: &'a Key,
        desired: &'a Value,
    ) -> LocalBoxFuture<'a, Result<Value, CloudError>> {
        Box::pin(async move {
            self.op(format!("create {}", key.name))?;
            let mut state = self.state.borrow_mut();
            assert!(
                !state.contains_key(&key.name),
                "created twice: {}",
                key.name
            );
            state.insert(key.name.clone(), desired.clone());
            Ok(json!({"id": format!("thing-{}", key.name)}))
        })
    }

    fn update<'a>(
        &'a self,
        key: &'a Key,
        _live: &'a Value,
        desired: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
        Box::pin(async move {
            self.op(format!("update {}", key.name))?;
            self.state
                .borrow_mut()
                .insert(key.name.clone(), desired.clone());
            Ok(())
        })
    }

    fn delete<'a>(
        &'a self,
        key: &'a Key,
        _live: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
        Box::pin(async move {
            self.op(format!("delete {}", key.name))?;
            self.state.borrow_mut().remove(&key.name);
            Ok(())
        })
    }

    fn replaces(&self, live: &Value, desired: &Value) -> bool {
        live.get("immutable") != desired.get("immutable")
    }

    fn describe(&self, before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
        vec![format!("{before:?} -> {after:?}")]
    }
}

fn target(name: &str, desired: Option<Value>, deps: &[&str]) -> Target {
    Target {
        key: Key::new("thing", name),
        desired,
        deps: deps.iter().map(|d| Key::new("thing", *d)).collect(),
        label: format!("thing {name}"),
    }
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    (dir, store)
}

/// Before: a, b (immutable 1), gone; after: a changed, b replaced, c created
/// after its dependency d, gone deleted.
fn scenario() -> (Vec<(&'static str, Value)>, Vec<Target>) {
    let before = vec![
        ("a", json!({"v": 1})),
        ("b", json!({"immutable": 1})),
        ("gone", json!({"v": 0})),
        ("same", json!({"v": 5})),
    ];
    let targets = vec![
        target("c", Some(json!({"v": 3})), &["d"]),
        target("a", Some(json!({"v": 2})), &[]),
        target("b", Some(json!({"immutable": 2})), &[]),
        target("gone", None, &[]),
        target("d", Some(json!({"v": 4})), &[]),
        target("same", Some(json!({"v": 5})), &[]),
    ];
    (before, targets)
}

fn desired_state(targets: &[Target], before: &[(&str, Value)]) -> BTreeMap<String, Value> {
    let mut m: BTreeMap<String, Value> = before
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    for t in targets {
        match &t.desired {
            Some(v) => {
                m.insert(t.key.name.clone(), v.clone());
            }
            None => {
                m.remove(&t.key.name);
            }
        }
    }
    m
}

fn plan_of(engine: &Engine, targets: &[Target], journal: Option<&Journal>) -> Plan {
    block_on(engine.plan(targets, journal)).unwrap()
}

#[test]
fn plan_orders_by_dependency_deletes_last_and_skips_what_is_already_right() {
    let (before, targets) = scenario();
    let things = Things::with(&before);
    let engine = Engine::new(&[&things]);
    let plan = plan_of(&engine, &targets, None);
    let steps: Vec<(String, Action)> = plan
        .steps
        .iter()
        .map(|s| (s.key.name.clone(), s.action))
        .collect();
    assert_eq!(
        steps,
        [
            ("a".to_string(), Action::Update),
            ("b".to_string(), Action::Replace),
            ("d".to_string(), Action::Create),
            ("c".to_string(), Action::Create),
            ("gone".to_string(), Action::Delete),
        ]
    );
    assert!(things.ops.borrow().is_empty(), "planning changes nothing");
    // Deletes go dependents first.
    let chain = Things::with(&[("x", json!(1)), ("y", json!(2)), ("z", json!(3))]);
    let engine = Engine::new(&[&chain]);
    let plan = plan_of(
        &engine,
        &[
            target("x", None, &[]),
            target("y", None, &["x"]),
            target("z", None, &["y"]),
        ],
        None,
    );
    let order: Vec<&str> = plan.steps.iter().map(|s| s.key.name.as_str()).collect();
    assert_eq!(order, ["z", "y", "x"]);
    // A dependency cycle is refused before anything happens.
    let err = block_on(engine.plan(
        &[
            target("x", Some(json!(1)), &["y"]),
            target("y", Some(json!(1)), &["x"]),
        ],
        None,
    ))
    .unwrap_err();
    assert!(err.to_string().contains("cycle"), "{err}");
}

#[test]
fn a_complete_apply_reaches_the_desired_state_and_removes_its_journal() {
    let (before, targets) = scenario();
    let things = Things::with(&before);
    let engine = Engine::new(&[&things]);
    let plan = plan_of(&engine, &targets, None);
    let (_dir, store) = store();
    let journal = JournalFile {
        store: &store,
        rel: JOURNAL,
    };
    block_on(engine.apply(&plan, &journal)).unwrap();
    assert_eq!(things.snapshot(), desired_state(&targets, &before));
    assert!(!store.exists(JOURNAL));
    // Nothing left to do: a second plan is empty.
    assert!(plan_of(&engine, &targets, None).is_empty());
}

#[test]
fn a_failure_at_any_operation_undoes_every_step_of_every_kind() {
    let (before, targets) = scenario();
    // Operations of a full run: update a, delete+create b, create d, create c, delete gone.
    for fail_at in 1..=6 {
        let things = Things::with(&before);
        let engine = Engine::new(&[&things]);
        let plan = plan_of(&engine, &targets, None);
        things.fail_at.set(Some(fail_at));
        let (_dir, store) = store();
        let journal = JournalFile {
            store: &store,
            rel: JOURNAL,
        };
        let failed = block_on(engine.apply(&plan, &journal)).unwrap_err();
        assert!(failed.restored, "fail at {fail_at}: {:?}", failed.left);
        assert!(failed.error.to_string().contains("injected failure"));
        let initial: BTreeMap<String, Value> = before
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        assert_eq!(
            things.snapshot(),
            initial,
            "fail at {fail_at}: {:?}",
            things.ops
        );
        assert!(!store.exists(JOURNAL), "fail at {fail_at}");
    }
}

/// A run that dies after `dead_after` operations (nothing after that happens,
/// undo included); returns the journal it left. The process is back afterwards.
fn killed_run(
    engine: &Engine,
    things: &Things,
    targets: &[Target],
    journal: &JournalFile,
    dead_after: usize,
) -> Option<Journal> {
    let plan = plan_of(engine, targets, None);
    things.dead_after.set(Some(dead_after));
    let _ = block_on(engine.apply(&plan, journal));
    things.dead_after.set(None);
    Journal::read(journal.store, JOURNAL).unwrap()
}

#[test]
fn a_run_killed_at_any_step_is_completed_by_the_next_one_without_duplicates() {
    let (before, targets) = scenario();
    let wanted = desired_state(&targets, &before);
    for dead_after in 0..=6 {
        let things = Things::with(&before);
        let engine = Engine::new(&[&things]);
        let (_dir, store) = store();
        let journal = JournalFile {
            store: &store,
            rel: JOURNAL,
        };
        let left = killed_run(&engine, &things, &targets, &journal, dead_after);
        // The next run (same files) reconciles the journal with what is there.
        if dead_after == 4 {
            // Killed before `c`: `d` was made, and the journal holds what its create returned.
            let d = left
                .as_ref()
                .and_then(|j| j.steps.iter().find(|s| s.key.name == "d"))
                .expect("d in the journal");
            assert_eq!(d.created, Some(json!({"id": "thing-d"})));
        }
        let plan = plan_of(&engine, &targets, left.as_ref());
        block_on(engine.apply(&plan, &journal)).unwrap();
        assert_eq!(things.snapshot(), wanted, "killed after {dead_after}");
        assert!(!store.exists(JOURNAL));
        assert!(plan_of(&engine, &targets, None).is_empty());
    }
}

#[test]
fn what_a_killed_run_did_and_nobody_wants_now_is_put_back() {
    let (before, targets) = scenario();
    // A run of six operations, killed before each of them.
    for dead_after in 0..6 {
        let things = Things::with(&before);
        let engine = Engine::new(&[&things]);
        let (_dir, store) = store();
        let journal = JournalFile {
            store: &store,
            rel: JOURNAL,
        };
        let left = killed_run(&engine, &things, &targets, &journal, dead_after);
        // The user gave up on the change: nothing is wanted any more.
        let plan = plan_of(&engine, &[], left.as_ref());
        // Killed before its first change, the run undid nothing and left no journal.
        assert_eq!(plan.resumed, left.is_some(), "killed after {dead_after}");
        assert_eq!(left.is_some(), dead_after > 0, "killed after {dead_after}");
        block_on(engine.apply(&plan, &journal)).unwrap();
        let initial: BTreeMap<String, Value> = before
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        assert_eq!(things.snapshot(), initial, "killed after {dead_after}");
    }
}

fn settings(auth: &[Access], guest: &[Access]) -> StorageSettings {
    StorageSettings {
        resource_name: "files".into(),
        bucket_name: "corpfiles".into(),
        auth_access: auth.to_vec(),
        guest_access: guest.to_vec(),
    }
}

/// A fake cloud with the corp roles, and the storage providers over it.
fn corp() -> (FakeCloud, String) {
    let cloud = FakeCloud::new();
    let pool = cloud.add_user_pool("corp-users");
    let web = cloud.add_client(&pool, "corp-web", false);
    let ip = cloud.add_identity_pool("corp_identity", &pool, &[&web], true);
    cloud.add_role("corp-auth-role", &ip, "authenticated");
    cloud.add_role("corp-unauth-role", &ip, "unauthenticated");
    (cloud, ip)
}

fn storage_plan(cloud: &FakeCloud, ip: &str, s: &StorageSettings) -> (Plan, Vec<Target>) {
    let roles = Roles {
        auth: Some("corp-auth-role".into()),
        unauth: Some("corp-unauth-role".into()),
    };
    let targets = push_storage::targets(
        &roles,
        "dev",
        &[push_storage::Target {
            resource: "files".into(),
            settings: Some(s.clone()),
            bucket: "corpfiles-dev".into(),
            pushed: Roles::default(),
        }],
    )
    .unwrap();
    let policies = RolePolicies(cloud, None);
    let buckets = Buckets {
        s3: cloud,
        region: "us-east-1".into(),
    };
    let engine = Engine::new(&[&policies, &buckets]);
    let plan = block_on(async {
        let plan = engine.plan(&targets, None).await.unwrap();
        push_storage::check_grants(cloud, &plan, ip).await.unwrap();
        plan
    });
    (plan, targets)
}

#[test]
fn storage_on_the_fake_cloud_creates_the_bucket_then_the_grants() {
    let (cloud, ip) = corp();
    let s = settings(&[Access::CreateAndUpdate, Access::Read], &[Access::Read]);
    let (plan, _) = storage_plan(&cloud, &ip, &s);
    let labels: Vec<String> = push_storage::describe(&plan);
    assert_eq!(labels[0], "S3 bucket corpfiles-dev: create");
    assert!(labels.iter().any(|l| l.starts_with(
        "IAM role corp-auth-role (authenticated), policy authwiz-storage-files-dev-auth"
    )));
    assert!(plan.broadens());
    let policies = RolePolicies(&cloud, None);
    let buckets = Buckets {
        s3: &cloud,
        region: "us-east-1".into(),
    };
    let engine = Engine::new(&[&policies, &buckets]);
    let (_dir, store) = store();
    let journal = JournalFile {
        store: &store,
        rel: JOURNAL,
    };
    cloud.reset_calls();
    block_on(engine.apply(&plan, &journal)).unwrap();
    assert_eq!(
        cloud.calls(),
        ["s3:CreateBucket", "iam:PutRolePolicy", "iam:PutRolePolicy"]
    );
    assert_eq!(cloud.buckets(), ["corpfiles-dev"]);
    let auth = cloud
        .policy("corp-auth-role", "authwiz-storage-files-dev-auth")
        .unwrap();
    assert_eq!(
        auth,
        authwiz::storage::policy::document(
            &s,
            "corpfiles-dev",
            authwiz::storage::policy::Audience::Authenticated
        )
        .unwrap()
    );
}

#[test]
fn a_failed_grant_removes_the_bucket_this_push_created() {
    for fail in 1..=2 {
        let (cloud, ip) = corp();
        let s = settings(&[Access::Read], &[Access::Read]);
        let (plan, _) = storage_plan(&cloud, &ip, &s);
        cloud.fail("iam:PutRolePolicy", fail);
        let policies = RolePolicies(&cloud, None);
        let buckets = Buckets {
            s3: &cloud,
            region: "us-east-1".into(),
        };
        let engine = Engine::new(&[&policies, &buckets]);
        let (_dir, store) = store();
        let journal = JournalFile {
            store: &store,
            rel: JOURNAL,
        };
        let failed = block_on(engine.apply(&plan, &journal)).unwrap_err();
        assert!(failed.restored);
        assert!(
            cloud.buckets().is_empty(),
            "created bucket undone (fail {fail})"
        );
        assert!(cloud.policies("corp-auth-role").is_empty());
        assert!(cloud.policies("corp-unauth-role").is_empty());
    }
}

#[test]
fn a_grant_to_a_role_that_does_not_trust_the_pool_is_refused_before_any_change() {
    let (cloud, _) = corp();
    let other = cloud.add_identity_pool("other", "us-east-1_x", &[], true);
    let s = settings(&[Access::Read], &[]);
    let roles = Roles {
        auth: Some("corp-auth-role".into()),
        unauth: None,
    };
    let targets = push_storage::targets(
        &roles,
        "dev",
        &[push_storage::Target {
            resource: "files".into(),
            settings: Some(s),
            bucket: "corpfiles-dev".into(),
            pushed: Roles::default(),
        }],
    )
    .unwrap();
    let policies = RolePolicies(&cloud, None);
    let buckets = Buckets {
        s3: &cloud,
        region: "us-east-1".into(),
    };
    let engine = Engine::new(&[&policies, &buckets]);
    let plan = block_on(engine.plan(&targets, None)).unwrap();
    let err = block_on(push_storage::check_grants(&cloud, &plan, &other)).unwrap_err();
    assert!(err.to_string().contains("corp-auth-role"), "{err}");
    assert!(
        cloud
            .calls()
            .iter()
            .all(|c| !c.contains("Put") && !c.contains("Create"))
    );
}
