//! `update auth --headless` writes what the Amplify CLI 14.2.2 wrote for the same
//! UpdateAuthRequest (step 46-default-update-auth), adds and removes user pool
//! groups as Amplify records them, makes no AWS call, and refuses what it cannot
//! do before anything is written.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::support::*;

const STEPS: &str = "tests/fixtures/amplify-cli-14.2.2-managed";

fn managed(step: &str) -> PathBuf {
    repo().join(STEPS).join(step)
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// A copy of a managed fixture step whose env sends any AWS call to a closed port.
fn offline_managed(step: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["amplify", "src"] {
        copy_tree(&managed(step).join(sub), &dir.path().join(sub));
    }
    let info = dir.path().join("amplify/.config/local-aws-info.json");
    let mut v = read_json(&info);
    for env in v.as_object_mut().unwrap().values_mut() {
        env["endpointUrl"] = CLOSED_ENDPOINT.into();
    }
    std::fs::write(&info, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    dir
}

/// `authwiz init` of a project named as the default fixture's, offline.
fn new_offline(home: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = run(init_yes(dir.path(), "mgddefault", "us-east-1")
        .env("HOME", home)
        .args(["--endpoint-url", CLOSED_ENDPOINT]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    dir
}

fn added_default(home: &Path) -> tempfile::TempDir {
    let dir = new_offline(home);
    let body = read(managed("payloads").join("add-default.json"));
    let r = with_stdin(
        authwiz(dir.path())
            .env("HOME", home)
            .args(["add", "auth", "--headless"]),
        &body,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    dir
}

fn update(root: &Path, body: &str) -> Run {
    with_stdin(authwiz(root).args(["update", "auth", "--headless"]), body)
}

fn update_default() -> String {
    read(managed("payloads").join("update-default.json"))
}

const INPUTS: &str = "amplify/backend/auth/mgdprojauth/cli-inputs.json";
const BACKEND: &str = "amplify/backend/backend-config.json";
const META: &str = "amplify/backend/amplify-meta.json";
const PRECEDENCE: &str = "amplify/backend/auth/userPoolGroups/user-pool-group-precedence.json";

fn shared_id(root: &Path) -> String {
    read_json(root.join(INPUTS))["cognitoConfig"]["sharedId"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Step 46's JSON with its sharedId replaced by `ours`.
fn step46(rel: &str, ours: &str) -> Value {
    let theirs = shared_id(&managed("46-default-update-auth"));
    serde_json::from_str(&read(managed("46-default-update-auth").join(rel)).replace(&theirs, ours))
        .unwrap()
}

#[test]
fn the_default_update_on_a_pushed_project_writes_step_46_and_status_shows_update() {
    let dir = offline_managed("44-default-push");
    let root = dir.path();
    let status = run(authwiz(root).args(["status", "--json"]));
    assert!(
        status
            .stdout
            .contains("\"resourceName\":\"mgdprojauth\",\"operation\":\"No Change\""),
        "{}",
        status.stdout
    );
    let r = update(root, &update_default());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("Successfully updated auth resource mgdprojauth locally"),
        "{}",
        r.stderr
    );
    // Byte for byte what the Amplify CLI wrote.
    for rel in [INPUTS, BACKEND] {
        assert_eq!(
            read(root.join(rel)),
            read(managed("46-default-update-auth").join(rel)),
            "{rel}"
        );
    }
    // As Amplify, the resource's stamp moves to the time of the update.
    let mut ours = read_json(root.join(META));
    let stamp = ours["auth"]["mgdprojauth"]["lastPushTimeStamp"].take();
    let pushed = read_json(managed("44-default-push").join(META))["auth"]["mgdprojauth"]
        ["lastPushTimeStamp"]
        .clone();
    assert!(
        stamp.as_str().unwrap() > pushed.as_str().unwrap(),
        "{stamp}"
    );
    assert!(stamp.as_str().unwrap().ends_with('Z'), "{stamp}");
    let mut theirs = read_json(managed("46-default-update-auth").join(META));
    theirs["auth"]["mgdprojauth"]["lastPushTimeStamp"] = Value::Null;
    assert_eq!(ours, theirs);
    let status = run(authwiz(root).args(["status", "--json"]));
    assert!(
        status
            .stdout
            .contains("\"resourceName\":\"mgdprojauth\",\"operation\":\"Update\""),
        "{}",
        status.stdout
    );
    // The pushed snapshot is untouched.
    assert_eq!(
        read(root.join("amplify/#current-cloud-backend/auth/mgdprojauth/cli-inputs.json")),
        read(
            managed("44-default-push")
                .join("amplify/#current-cloud-backend/auth/mgdprojauth/cli-inputs.json")
        )
    );
}

#[test]
fn the_default_update_after_add_gives_step_46s_files() {
    let home = tempfile::tempdir().unwrap();
    let dir = added_default(home.path());
    let root = dir.path();
    let r = update(root, &update_default());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ours = shared_id(root);
    assert_eq!(read_json(root.join(INPUTS)), step46(INPUTS, &ours));
    assert_eq!(read_json(root.join(BACKEND)), step46(BACKEND, &ours));
    // The meta entry of 46 also holds what the push before it recorded.
    let mut theirs = step46(META, &ours)["auth"]["mgdprojauth"].clone();
    let theirs = theirs.as_object_mut().unwrap();
    for key in [
        "output",
        "lastPushTimeStamp",
        "providerMetadata",
        "lastPushDirHash",
    ] {
        theirs.remove(key);
    }
    assert_eq!(
        read_json(root.join(META))["auth"]["mgdprojauth"],
        Value::Object(theirs.clone())
    );
    // A second identical update changes nothing.
    let before = snapshot(root);
    assert_eq!(update(root, &update_default()).code, 0);
    assert_eq!(before, snapshot(root));
}

#[test]
fn groups_are_added_and_removed_as_amplify_records_them() {
    let home = tempfile::tempdir().unwrap();
    let dir = added_default(home.path());
    let root = dir.path();
    let body = json!({"version": 2, "serviceModification": {"serviceName": "Cognito",
        "userPoolModification": {"userPoolGroups": [{"groupName": "admins"}, {"groupName": "users"}]},
        "includeIdentityPool": true, "identityPoolModification": {}}});
    let r = update(root, &body.to_string());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mfa = managed("52-mfa-add-auth");
    assert_eq!(
        read_json(root.join(PRECEDENCE)),
        read_json(mfa.join(PRECEDENCE))
    );
    let groups_entry = serde_json::from_str::<Value>(
        &read(mfa.join(BACKEND)).replace("\"mfaauth\"", "\"mgdprojauth\""),
    )
    .unwrap()["auth"]["userPoolGroups"]
        .clone();
    for rel in [BACKEND, META] {
        assert_eq!(
            read_json(root.join(rel))["auth"]["userPoolGroups"],
            groups_entry,
            "{rel}"
        );
    }
    let c = &read_json(root.join(INPUTS))["cognitoConfig"];
    assert_eq!(c["userPoolGroups"], json!(true));
    assert_eq!(c["userPoolGroupList"], json!(["admins", "users"]));
    let status = run(authwiz(root).args(["status", "--json"]));
    assert!(
        status
            .stdout
            .contains("\"resourceName\":\"userPoolGroups\",\"operation\":\"Create\""),
        "{}",
        status.stdout
    );

    // Reordered: the precedence follows.
    let body = json!({"version": 2, "serviceModification": {"serviceName": "Cognito",
        "userPoolModification": {"userPoolGroups": [{"groupName": "users"}, {"groupName": "admins"}]},
        "includeIdentityPool": true, "identityPoolModification": {}}});
    assert_eq!(update(root, &body.to_string()).code, 0);
    assert_eq!(
        read_json(root.join(PRECEDENCE)),
        json!([{"groupName": "users", "precedence": 1}, {"groupName": "admins", "precedence": 2}])
    );

    // Removed: the resource, its folder and the list go.
    let body = json!({"version": 2, "serviceModification": {"serviceName": "Cognito",
        "userPoolModification": {"userPoolGroups": []},
        "includeIdentityPool": true, "identityPoolModification": {}}});
    assert_eq!(update(root, &body.to_string()).code, 0);
    assert!(!root.join("amplify/backend/auth/userPoolGroups").exists());
    for rel in [BACKEND, META] {
        assert!(
            read_json(root.join(rel))["auth"]
                .get("userPoolGroups")
                .is_none(),
            "{rel}"
        );
    }
    let c = &read_json(root.join(INPUTS))["cognitoConfig"];
    assert_eq!(c["userPoolGroups"], json!(false));
    assert_eq!(c["userPoolGroupList"], json!([]));
}

#[test]
fn mfa_attributes_oauth_and_federation_are_applied() {
    let home = tempfile::tempdir().unwrap();
    let dir = added_default(home.path());
    let root = dir.path();
    let body = json!({"version": 2, "serviceModification": {"serviceName": "Cognito",
        "userPoolModification": {
            "mfa": {"mode": "OPTIONAL", "mfaTypes": ["SMS", "TOTP"], "smsMessage": "Code: {####}"},
            "refreshTokenPeriod": 60,
            "readAttributes": ["EMAIL", "EMAIL_VERIFIED"],
            "writeAttributes": ["EMAIL"],
            "autoVerifiedAttributes": [{"type": "EMAIL", "verificationSubject": "Hi"}],
            "oAuth": {"domainPrefix": "mgdprefix", "redirectSigninURIs": ["https://a.example/"],
                      "redirectSignoutURIs": ["https://a.example/out"], "oAuthGrantType": "CODE",
                      "oAuthScopes": ["OPENID", "EMAIL"]},
            "someFutureKey": true
        },
        "includeIdentityPool": true,
        "identityPoolModification": {"unauthenticatedLogin": true,
            "identitySocialFederation": [{"provider": "GOOGLE", "clientId": "g-id"}]}}});
    let r = update(root, &body.to_string());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let c = &read_json(root.join(INPUTS))["cognitoConfig"];
    assert_eq!(c["mfaConfiguration"], json!("OPTIONAL"));
    assert_eq!(c["mfaTypes"], json!(["SMS Text Message", "TOTP"]));
    assert_eq!(c["smsAuthenticationMessage"], json!("Code: {####}"));
    assert_eq!(c["userpoolClientRefreshTokenValidity"], json!(60));
    assert_eq!(
        c["userpoolClientReadAttributes"],
        json!(["email", "email_verified"])
    );
    assert_eq!(c["userpoolClientWriteAttributes"], json!(["email"]));
    assert_eq!(c["autoVerifiedAttributes"], json!(["email"]));
    assert_eq!(c["emailVerificationSubject"], json!("Hi"));
    assert_eq!(c["hostedUI"], json!(true));
    assert_eq!(c["hostedUIDomainName"], json!("mgdprefix"));
    let oauth: Value = serde_json::from_str(c["oAuthMetadata"].as_str().unwrap()).unwrap();
    assert_eq!(
        oauth,
        json!({"AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid", "email"],
               "CallbackURLs": ["https://a.example/"], "LogoutURLs": ["https://a.example/out"]})
    );
    assert_eq!(c["allowUnauthenticatedIdentities"], json!(true));
    assert_eq!(c["thirdPartyAuth"], json!(true));
    assert_eq!(c["authProviders"], json!(["accounts.google.com"]));
    assert_eq!(
        read_json(root.join("amplify/team-provider-info.json"))["dev"]["categories"]["auth"]["mgdprojauth"],
        json!({"googleClientId": "g-id"})
    );
    let fac = &read_json(root.join(BACKEND))["auth"]["mgdprojauth"]["frontendAuthConfig"];
    assert_eq!(fac["mfaConfiguration"], json!("OPTIONAL"));
    assert_eq!(fac["verificationMechanisms"], json!(["EMAIL"]));

    // A partial oAuth changes only what it gives; `{}` removes the hosted UI.
    let body = json!({"version": 2, "serviceModification": {"serviceName": "Cognito",
        "userPoolModification": {"oAuth": {"redirectSigninURIs": ["https://b.example/"]}},
        "includeIdentityPool": true, "identityPoolModification": {}}});
    assert_eq!(update(root, &body.to_string()).code, 0);
    let c = &read_json(root.join(INPUTS))["cognitoConfig"];
    let oauth: Value = serde_json::from_str(c["oAuthMetadata"].as_str().unwrap()).unwrap();
    assert_eq!(oauth["CallbackURLs"], json!(["https://b.example/"]));
    assert_eq!(oauth["LogoutURLs"], json!(["https://a.example/out"]));
    assert_eq!(c["hostedUIDomainName"], json!("mgdprefix"));
    assert_eq!(c["mfaConfiguration"], json!("OPTIONAL"), "omitted: kept");
    let body = json!({"version": 2, "serviceModification": {"serviceName": "Cognito",
        "userPoolModification": {"oAuth": {}},
        "includeIdentityPool": true, "identityPoolModification": {}}});
    assert_eq!(update(root, &body.to_string()).code, 0);
    let c = &read_json(root.join(INPUTS))["cognitoConfig"];
    assert_eq!(c["hostedUI"], json!(false));
    assert!(c.get("oAuthMetadata").is_none() && c.get("hostedUIDomainName").is_none());
}

#[test]
fn update_auth_refusals_name_the_problem_and_write_nothing() {
    let home = tempfile::tempdir().unwrap();
    // No auth at all.
    let dir = new_offline(home.path());
    let before = snapshot(dir.path());
    let r = update(dir.path(), &update_default());
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("Project does not contain auth resources")
            && r.stderr.contains("authwiz add auth --headless"),
        "{}",
        r.stderr
    );
    assert_eq!(before, snapshot(dir.path()));

    // Imported auth: Amplify's wording.
    let imported = offline_from_fixture("02-import-auth");
    let before = snapshot(imported.path());
    let r = update(imported.path(), &update_default());
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("Updating imported Auth resource is not supported."),
        "{}",
        r.stderr
    );
    assert_eq!(before, snapshot(imported.path()));

    let dir = added_default(home.path());
    let root = dir.path();
    let before = snapshot(root);
    let fail = |body: &str, expect: &str| {
        let r = update(root, body);
        assert_eq!(r.code, 1, "{body}: {}", r.stderr);
        assert!(r.stderr.contains(expect), "{expect}: {}", r.stderr);
        assert_eq!(before, snapshot(root), "{body}");
    };
    let wrap = |up: &str| {
        format!(
            r#"{{"version":2,"serviceModification":{{"serviceName":"Cognito","userPoolModification":{up},"includeIdentityPool":true,"identityPoolModification":{{}}}}}}"#
        )
    };
    fail("{", "not valid JSON");
    fail(
        r#"{"serviceModification":{}}"#,
        "data does not have a top level \"version\" field",
    );
    fail(r#"{"version":1}"#, "send version 2");
    fail(r#"{"version":3}"#, "No schema found for version 3");
    fail(
        &wrap(r#"{"mfa":{"mode":"SOMETIMES"}}"#),
        "`serviceModification.userPoolModification.mfa.mode`",
    );
    fail(
        &wrap(r#"{"adminQueries":{"permissions":{"restrictAccess":false}}}"#),
        "\"Create or update Admin queries API\"",
    );
    fail(
        &wrap(r#"{"signinMethod":"EMAIL"}"#),
        "`serviceModification.userPoolModification.signinMethod`",
    );
    fail(
        &wrap(r#"{"requiredSignupAttributes":["NAME"]}"#),
        "cannot be changed by `update auth`",
    );
    fail(
        &wrap(
            r#"{"oAuth":{"socialProviderConfigurations":[{"provider":"GOOGLE","clientId":"a","clientSecret":"b"}]}}"#,
        ),
        "`serviceModification.userPoolModification.oAuth.oAuthGrantType` is required",
    );
    fail(
        &wrap(
            r#"{"oAuth":{"domainPrefix":"abc","redirectSigninURIs":["https://a/"],"redirectSignoutURIs":["https://a/"],"oAuthGrantType":"CODE","oAuthScopes":["OPENID"],"socialProviderConfigurations":[{"provider":"GOOGLE","clientId":"a"}]}}"#,
        ),
        "Google needs `clientSecret`",
    );
    fail(
        &wrap(r#"{"oAuth":{"domainPrefix":"abc"}}"#),
        "`serviceModification.userPoolModification.oAuth.oAuthGrantType` is required",
    );
    // Without its domain, every push of the hosted UI would fail.
    fail(
        &wrap(
            r#"{"oAuth":{"redirectSigninURIs":["https://a/"],"redirectSignoutURIs":["https://a/"],"oAuthGrantType":"CODE","oAuthScopes":["OPENID"]}}"#,
        ),
        "`serviceModification.userPoolModification.oAuth.domainPrefix` is required",
    );
    fail(
        r#"{"version":2,"serviceModification":{"serviceName":"Cognito","userPoolModification":{},"includeIdentityPool":true}}"#,
        "`serviceModification.identityPoolModification` is required",
    );
    fail(
        r#"{"version":2,"serviceModification":{"serviceName":"Cognito","userPoolModification":{},"includeIdentityPool":true,"identityPoolModification":{"identityPoolName":"x"}}}"#,
        "the identity pool name cannot be changed",
    );
    // Without --headless and without a terminal: the menu's question names its flag.
    let r = run(authwiz(root).args(["update", "auth"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("--action"), "{}", r.stderr);
    assert_eq!(before, snapshot(root));
}
