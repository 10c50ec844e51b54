//! A cloned repository is untrusted input: hostile names in committed (or local)
//! project files are refused where they are read, naming the file, the key and
//! the rule, and nothing inside or outside the project changes.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::support::*;

const HOSTILE: &str = "../../../../victim";

/// `<base>/proj` (the imported and pushed fixture) next to `<base>/victim/`, which
/// a name like `../../../../victim` would reach from inside `amplify/`.
struct Clone {
    base: tempfile::TempDir,
}

impl Clone {
    fn new() -> Clone {
        let base = tempfile::tempdir().unwrap();
        let fixture = project_from_fixture("04-push-dev");
        copy_tree(fixture.path(), &base.path().join("proj"));
        let victim = base.path().join("victim");
        std::fs::create_dir_all(victim.join("auth")).unwrap();
        std::fs::write(victim.join("keep.txt"), "precious").unwrap();
        Clone { base }
    }

    fn root(&self) -> PathBuf {
        self.base.path().join("proj")
    }

    fn edit(&self, rel: &str, f: impl FnOnce(&mut Value)) {
        let path = self.root().join(rel);
        let mut v = read_json(&path);
        f(&mut v);
        std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    }

    /// Runs each command: exit 1, every needle in stderr, not a byte changed
    /// under `<base>` (the project and its neighbours).
    fn refuses(&self, commands: &[&[&str]], needles: &[&str]) {
        let before = snapshot(self.base.path());
        for args in commands {
            // Nothing may reach AWS: a refused local port stands in for it.
            let r = run(authwiz(&self.root())
                .args(["--endpoint-url", "http://127.0.0.1:1"])
                .args(*args));
            assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
            for n in needles {
                assert!(
                    r.stderr.contains(n),
                    "{args:?}: missing {n:?} in\n{}",
                    r.stderr
                );
            }
            assert_eq!(before, snapshot(self.base.path()), "{args:?} changed files");
        }
    }
}

fn rename_key(v: &mut Value, category: &str, from: &str, to: &str) {
    let cat = v[category].as_object_mut().unwrap();
    let entry = cat.remove(from).unwrap();
    cat.insert(to.into(), entry);
}

#[test]
fn a_resource_name_that_leaves_the_project_is_refused_by_every_command() {
    let clone = Clone::new();
    clone.edit("amplify/backend/backend-config.json", |v| {
        rename_key(v, "auth", "peerproj", HOSTILE)
    });
    clone.refuses(
        &[
            &["env", "checkout", "dev", "--yes"],
            &["remove", "auth", HOSTILE, "--yes"],
            &["push", "--yes"],
            &["status"],
            &["add", "storage", "--yes", "--name", "f", "--bucket-name", "bucketname", "--auth-access", "read"],
        ],
        &[
            "amplify/backend/backend-config.json: resource name \"../../../../victim\" at `auth.\"../../../../victim\"` is not allowed.",
            "Resource names are 1-128 letters, digits, '_' and '-'",
            "nothing was changed",
        ],
    );
    // The same name in the local meta (as a checkout would have written it).
    let clone = Clone::new();
    clone.edit("amplify/backend/amplify-meta.json", |v| {
        rename_key(v, "auth", "peerproj", HOSTILE)
    });
    clone.refuses(
        &[&["remove", "auth", HOSTILE, "--yes"], &["push", "--yes"]],
        &["amplify/backend/amplify-meta.json: resource name \"../../../../victim\""],
    );
    // And a category name.
    let clone = Clone::new();
    clone.edit("amplify/backend/backend-config.json", |v| {
        let map = v.as_object_mut().unwrap();
        let auth = map.remove("auth").unwrap();
        map.insert("../auth".into(), auth);
    });
    clone.refuses(
        &[&["env", "checkout", "dev", "--yes"]],
        &[
            "category name \"../auth\" at `\"../auth\"`",
            "Category names are",
        ],
    );
}

#[test]
fn an_env_name_that_leaves_the_project_is_refused() {
    let clone = Clone::new();
    clone.edit("amplify/team-provider-info.json", |v| {
        let dev = v["dev"].clone();
        v.as_object_mut().unwrap().insert(HOSTILE.into(), dev);
    });
    clone.refuses(
        &[
            &["env", "remove", HOSTILE, "--yes"],
            &["env", "checkout", HOSTILE, "--yes"],
            &["push", "--yes"],
            &["env", "list"],
        ],
        &[
            "amplify/team-provider-info.json: environment name \"../../../../victim\" at `\"../../../../victim\"` is not allowed.",
            "Environment name must be between 2 and 10 characters, and lowercase only.",
        ],
    );
    // This machine's files are read the same way.
    let clone = Clone::new();
    clone.edit("amplify/.config/local-env-info.json", |v| {
        v["envName"] = json!(HOSTILE)
    });
    clone.refuses(
        &[&["env", "checkout", "dev", "--yes"], &["push", "--yes"]],
        &["amplify/.config/local-env-info.json: environment name \"../../../../victim\" at `envName`"],
    );
    let clone = Clone::new();
    clone.edit("amplify/.config/local-aws-info.json", |v| {
        let dev = v["dev"].clone();
        v.as_object_mut().unwrap().insert(HOSTILE.into(), dev);
    });
    clone.refuses(
        &[&["env", "remove", HOSTILE, "--yes"]],
        &["amplify/.config/local-aws-info.json: environment name"],
    );
    // A resource name under an env's categories.
    let clone = Clone::new();
    clone.edit("amplify/team-provider-info.json", |v| {
        rename_key(&mut v["dev"]["categories"], "auth", "peerproj", HOSTILE)
    });
    clone.refuses(
        &[&["env", "checkout", "dev", "--yes"]],
        &["at `dev.categories.auth.\"../../../../victim\"`"],
    );
}

/// The fixture with a storage resource `files` (bucket `corpfiles-dev`), not pushed.
fn with_storage(clone: &Clone) {
    let entry = json!({"service": "S3", "providerPlugin": "awscloudformation",
        "dependsOn": [{"category": "auth", "resourceName": "peerproj", "attributes": ["UserPoolId", "IdentityPoolId"]}]});
    for file in [
        "amplify/backend/backend-config.json",
        "amplify/backend/amplify-meta.json",
    ] {
        clone.edit(file, |v| v["storage"] = json!({"files": entry.clone()}));
    }
    clone.edit("amplify/team-provider-info.json", |v| {
        v["dev"]["categories"]["storage"] = json!({"files": {"bucketName": "corpfiles-dev"}})
    });
    let inputs = json!({"resourceName": "files", "bucketName": "corpfiles", "storageAccess": "auth",
        "guestAccess": [], "authAccess": ["READ"], "triggerFunction": "NONE", "groupAccess": {}});
    let dir = clone.root().join("amplify/backend/storage/files");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("cli-inputs.json"), inputs.to_string()).unwrap();
}

#[test]
fn storage_names_and_buckets_from_files_follow_the_prompt_rules() {
    // A wildcard bucket would grant access to every bucket of the account.
    let clone = Clone::new();
    with_storage(&clone);
    clone.edit("amplify/team-provider-info.json", |v| {
        v["dev"]["categories"]["storage"]["files"]["bucketName"] = json!("*")
    });
    clone.refuses(
        &[
            &["push", "--yes"],
            &["push", "--dry-run"],
            &["update", "storage", "--yes", "--auth-access", "read"],
            &["env", "add", "prod", "--yes"],
        ],
        &[
            "amplify/team-provider-info.json: bucket name \"*\" at `dev.categories.storage.files.bucketName` is not allowed.",
            "Bucket names must be 3-63 characters",
        ],
    );
    // A storage resource named to leave the project.
    let clone = Clone::new();
    with_storage(&clone);
    for file in [
        "amplify/backend/backend-config.json",
        "amplify/backend/amplify-meta.json",
    ] {
        clone.edit(file, |v| rename_key(v, "storage", "files", HOSTILE));
    }
    clone.refuses(
        &[&["remove", "storage", HOSTILE, "--yes"], &["push", "--yes"]],
        &[
            "resource name \"../../../../victim\" at `storage.\"../../../../victim\"`",
            "only contain alphanumeric characters",
        ],
    );
    // cli-inputs.json: its names and its access lists (the key path is named).
    for (key, value, needle) in [
        (
            "bucketName",
            json!("*"),
            "cli-inputs.json: bucket name \"*\" at `bucketName`",
        ),
        (
            "resourceName",
            json!(HOSTILE),
            "cli-inputs.json: resource name \"../../../../victim\" at `resourceName`",
        ),
        (
            "resourceName",
            json!("other"),
            "at `resourceName` is not allowed. It must be the name of the resource's folder",
        ),
        (
            "authAccess",
            json!("READ"),
            "cli-inputs.json: access list \"READ\" at `authAccess` is not allowed. Access lists are arrays of \"CREATE_AND_UPDATE\", \"READ\" and \"DELETE\".",
        ),
        (
            "authAccess",
            json!(["READ", "ROOT"]),
            "cli-inputs.json: access \"ROOT\" at `authAccess[1]`",
        ),
        ("storageAccess", json!("everyone"), "at `storageAccess`"),
    ] {
        let clone = Clone::new();
        with_storage(&clone);
        clone.edit("amplify/backend/storage/files/cli-inputs.json", |v| {
            v[key] = value.clone()
        });
        clone.refuses(
            &[
                &["push", "--yes"],
                &["update", "storage", "--yes", "--auth-access", "read"],
            ],
            &["amplify/backend/storage/files/", needle],
        );
    }
}

#[test]
fn the_source_folder_must_be_a_folder_inside_the_project() {
    for (value, needle) in [
        (
            json!(5),
            "source folder 5 at `javascript.config.SourceDir` is not allowed.",
        ),
        (
            json!("../../victim"),
            "source folder \"../../victim\" at `javascript.config.SourceDir`",
        ),
        (json!("/tmp"), "source folder \"/tmp\""),
    ] {
        let clone = Clone::new();
        clone.edit("amplify/.config/project-config.json", |v| {
            v["javascript"]["config"]["SourceDir"] = value.clone()
        });
        clone.refuses(
            &[&["env", "checkout", "dev", "--yes"], &["push", "--yes"]],
            &[
                "amplify/.config/project-config.json: ",
                needle,
                "A folder inside the project",
            ],
        );
    }
    // init asks with the same rule.
    let dir = tempfile::tempdir().unwrap();
    let r = run(init_yes(dir.path(), "abc", "us-east-1").args(["--source-dir", "../out"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("Invalid value for --source-dir: A folder inside the project"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("amplify").exists());
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_inside_amplify_is_never_followed() {
    let clone = Clone::new();
    let res = clone.root().join("amplify/backend/auth/peerproj");
    std::fs::rename(&res, clone.base.path().join("victim/auth/peerproj")).unwrap();
    std::os::unix::fs::symlink(clone.base.path().join("victim/auth/peerproj"), &res).unwrap();
    clone.refuses(
        &[&["remove", "auth", "peerproj", "--yes"]],
        &["Refused to remove amplify/backend/auth/peerproj: a symbolic link is on the way."],
    );
}

#[test]
fn the_store_deletes_moves_and_copies_only_inside_amplify() {
    use authwiz::project::Store;
    let clone = Clone::new();
    let store = Store::new(clone.root());
    let before = snapshot(clone.base.path());
    let victim = clone.base.path().join("victim");
    let refused = |r: Result<(), authwiz::project::StoreError>, why: &str| {
        let e = r.unwrap_err().to_string();
        assert!(e.contains(why), "{e}");
    };
    refused(
        store.remove_dir("amplify/backend/auth/../../../../victim"),
        "it leads out of the project",
    );
    refused(
        store.remove_dir("amplify/../../victim"),
        "it leads out of the project",
    );
    refused(store.remove_dir("amplify/.."), "it is not inside amplify/");
    refused(store.remove_dir("amplify"), "it is not inside amplify/");
    refused(store.remove_dir("src"), "it is not inside amplify/");
    refused(
        store.remove_file(victim.join("keep.txt")),
        "it is an absolute path",
    );
    refused(
        store.move_dir("amplify/backend", "amplify/x/../../../victim/moved"),
        "it leads out of the project",
    );
    refused(
        store.copy_dir(&victim, "amplify/stolen"),
        "it is an absolute path",
    );
    assert_eq!(before, snapshot(clone.base.path()));
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&victim, clone.root().join("amplify/link")).unwrap();
        refused(
            store.remove_dir("amplify/link/auth"),
            "a symbolic link is on the way",
        );
        refused(
            store.remove_file("amplify/link/keep.txt"),
            "a symbolic link is on the way",
        );
        refused(
            store.copy_dir("amplify/link", "amplify/copied"),
            "a symbolic link is on the way",
        );
        refused(
            store.write_value("amplify/link/new.json", &json!({})),
            "a symbolic link is on the way",
        );
        assert!(victim.join("auth").exists() && victim.join("keep.txt").exists());
        assert!(!victim.join("new.json").exists());
        // A link deeper inside a folder being copied is not followed either.
        std::fs::remove_file(clone.root().join("amplify/link")).unwrap();
        let res = "amplify/backend/auth/peerproj";
        std::os::unix::fs::symlink(&victim, clone.root().join(res).join("link")).unwrap();
        // (Copies are made when the command commits; the commit stops before
        // any file changes.)
        store
            .copy_dir(res, "amplify/#current-cloud-backend/auth/peerproj")
            .unwrap();
        let e = store.commit("test").unwrap_err();
        assert!(e.to_string().contains("is a symbolic link"), "{e}");
    }
    // Inside amplify/, a `..` that stays inside is fine.
    store.write_value("amplify/tmp/a.json", &json!({})).unwrap();
    store.commit("test").unwrap();
    assert!(clone.root().join("amplify/tmp/a.json").exists());
    store.remove_dir("amplify/backend/../tmp").unwrap();
    store.commit("test").unwrap();
    assert!(!clone.root().join("amplify/tmp").exists());
}

/// The Amplify CLI's managed project after its push (fixture 44-default-push),
/// its env sending any AWS call to a closed port.
fn managed_clone() -> tempfile::TempDir {
    let step = repo().join("tests/fixtures/amplify-cli-14.2.2-managed/44-default-push");
    let dir = tempfile::tempdir().unwrap();
    for sub in ["amplify", "src"] {
        copy_tree(&step.join(sub), &dir.path().join(sub));
    }
    let info = dir.path().join("amplify/.config/local-aws-info.json");
    let mut v = read_json(&info);
    v["dev"]["endpointUrl"] = json!(CLOSED_ENDPOINT);
    std::fs::write(&info, v.to_string()).unwrap();
    // As if authwiz had pushed it (a stack's resources are refused before anything).
    for rel in [
        "amplify/backend/amplify-meta.json",
        "amplify/#current-cloud-backend/amplify-meta.json",
    ] {
        let p = dir.path().join(rel);
        let mut v = read_json(&p);
        v["auth"]["mgdprojauth"]
            .as_object_mut()
            .unwrap()
            .remove("providerMetadata");
        std::fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    }
    dir
}

#[test]
fn values_outside_the_vocabulary_in_cli_inputs_are_refused_where_they_are_read() {
    const INPUTS: &str = "amplify/backend/auth/mgdprojauth/cli-inputs.json";
    let long = "X".repeat(200_000);
    for (key, value, needle) in [
        (
            "mfaConfiguration",
            json!("../../etc/passwd"),
            "'../../etc/passwd' is not an MFA mode: OFF, ON or OPTIONAL",
        ),
        (
            "userPoolGroupList",
            json!(["admins", "../../victimGroup"]),
            "'../../victimGroup' is not a user pool group name",
        ),
        (
            "mfaConfiguration",
            json!(long),
            "(200000 characters) is not an MFA mode",
        ),
    ] {
        let dir = managed_clone();
        let root = dir.path();
        let path = root.join(INPUTS);
        let mut v = read_json(&path);
        v["cognitoConfig"][key] = value;
        std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
        let before = snapshot(root);
        for args in [
            &["push", "--yes"][..],
            &["update", "auth", "--yes"],
            &["export", "gen2", "--out", "gen2"],
        ] {
            let r = run(authwiz(root).args(args));
            assert_eq!(r.code, 1, "{args:?} {key}: {}", r.stderr);
            for n in [needle, INPUTS, "cognitoConfig"] {
                assert!(
                    r.stderr.contains(n),
                    "{args:?}: missing {n:?} in\n{}",
                    &r.stderr[..r.stderr.len().min(2000)]
                );
            }
            assert!(
                r.stderr.len() < 2_000,
                "the value is not echoed whole: {} bytes",
                r.stderr.len()
            );
            assert_eq!(before, snapshot(root), "{args:?} changed files");
        }
    }
}
