//! The function resources Amplify keeps for an auth resource's triggers, and
//! their entries: one folder per trigger under `amplify/backend/function/`
//! (`function-parameters.json` with `trigger: true`, `parameters.json`,
//! `amplify.state`, `custom-policies.json`, the function's CloudFormation
//! template, and `src/` with the runner, one file per module, `package.json`
//! and a sample event), the `function` entries of backend-config.json and
//! amplify-meta.json, the auth resource's `dependsOn`, and the modules' values
//! in team-provider-info.json. Either CLI opens what this writes.

use serde_json::{Map, Value, json};

use super::catalog::{self, Trigger};
use super::{SECRET_PARAMS, Selection, function_name};
use crate::auth::CATEGORY;
use crate::project::{Doc, Layout, Project, Resource, StoreError};

pub use super::FUNCTION;

/// A function's secret values (for the deployment secrets): (function, values).
pub type FunctionSecrets = (String, Map<String, Value>);

/// `amplify/backend/function/<name>`.
pub fn function_dir(name: &str) -> String {
    format!("amplify/backend/{FUNCTION}/{name}")
}

/// The auth resource's `dependsOn` entries for its trigger functions.
pub fn depends_on(res: &str, s: &Selection) -> Vec<Value> {
    s.modules
        .keys()
        .map(|t| {
            json!({
                "category": FUNCTION,
                "resourceName": function_name(res, *t),
                "triggerProvider": "Cognito",
                "attributes": ["Arn", "Name"]
            })
        })
        .collect()
}

fn function_resource() -> Resource {
    Resource {
        service: Some("Lambda".into()),
        provider_plugin: Some("awscloudformation".into()),
        extra: [("build".to_string(), json!(true))].into_iter().collect(),
        ..Default::default()
    }
}

/// The function resources' entries, folders and values for `s`, replacing
/// those of `was` (the resource's triggers before): a function no longer
/// selected is removed; a module file that exists is never overwritten (the
/// user's edits stay). Returns the values that are secrets (for the
/// deployment secrets), by function.
pub fn record(
    project: &mut Project,
    env: &str,
    res: &str,
    s: &Selection,
    was: &Selection,
) -> Result<Vec<FunctionSecrets>, StoreError> {
    for t in was.modules.keys().filter(|t| !s.modules.contains_key(t)) {
        let name = function_name(res, *t);
        for categories in [
            &mut project.backend_config.value.categories,
            &mut project.meta.value.categories,
        ] {
            if let Some(f) = categories.get_mut(FUNCTION) {
                f.shift_remove(&name);
                if f.is_empty() {
                    categories.shift_remove(FUNCTION);
                }
            }
        }
        project.remove_env_params_everywhere(FUNCTION, &name, env);
        project.store.remove_dir(function_dir(&name))?;
    }
    if s.functions != was.functions {
        super::env::save_attached(project, (env, res), &s.functions)?;
    }
    let deps = depends_on(res, s);
    let mut secrets = Vec::new();
    for categories in [
        &mut project.backend_config.value.categories,
        &mut project.meta.value.categories,
    ] {
        if let Some(auth) = categories.get_mut(CATEGORY).and_then(|c| c.get_mut(res)) {
            auth.depends_on = Some(deps.clone());
        }
        for t in s.modules.keys() {
            let f = categories.entry(FUNCTION.into()).or_default();
            f.entry(function_name(res, *t))
                .or_insert_with(function_resource);
        }
    }
    for (t, modules) in &s.modules {
        let name = function_name(res, *t);
        let (params, secret) = values(s, modules);
        let kept = project
            .env_params(env, FUNCTION, &name)
            .cloned()
            .unwrap_or_default();
        let mut all = kept;
        all.retain(|k, _| !SECRET_PARAMS.contains(&k.as_str()));
        all.extend(params);
        project.set_env_params(env, FUNCTION, &name, (!all.is_empty()).then_some(all));
        if !secret.is_empty() {
            secrets.push((name.clone(), secret));
        }
        write_function(project, res, *t, modules)?;
    }
    Ok(secrets)
}

/// The function's values: (the project's, the secrets).
fn values(s: &Selection, modules: &[String]) -> (Map<String, Value>, Map<String, Value>) {
    let (mut params, mut secret) = (Map::new(), Map::new());
    for p in modules
        .iter()
        .filter_map(|m| catalog::module(m))
        .flat_map(|m| m.params)
    {
        let v = json!(s.params.get(p.key).cloned().unwrap_or_default());
        if SECRET_PARAMS.contains(&p.key) {
            secret.insert(p.key.into(), v);
        } else {
            params.insert(p.key.into(), v);
        }
    }
    (params, secret)
}

fn write_function(
    project: &Project,
    res: &str,
    t: Trigger,
    modules: &[String],
) -> Result<(), StoreError> {
    let name = function_name(res, t);
    let dir = function_dir(&name);
    let store = &project.store;
    let write =
        |rel: &str, v: Value| store.write(&Doc::new(format!("{dir}/{rel}"), v), Layout::Ordered);
    write(
        "function-parameters.json",
        json!({
            "trigger": true,
            "modules": modules,
            "parentResource": res,
            "functionName": name,
            "resourceName": name,
            "parentStack": CATEGORY,
            "triggerEnvs": "[]",
            "triggerTemplate": format!("{}.json.ejs", t.amplify()),
            "triggerEventPath": format!("{}.event.json", t.amplify()),
            "roleName": name,
            "skipEdit": true
        }),
    )?;
    write(
        "parameters.json",
        json!({"modules": modules.join(","), "resourceName": name}),
    )?;
    write(
        "amplify.state",
        json!({
            "pluginId": "amplify-nodejs-function-runtime-provider",
            "functionRuntime": "nodejs",
            "useLegacyBuild": true,
            "defaultEditorFile": "src/index.js"
        }),
    )?;
    if !store.exists(format!("{dir}/custom-policies.json")) {
        write(
            "custom-policies.json",
            json!([{"Action": [], "Resource": []}]),
        )?;
    }
    write(
        &format!("{name}-cloudformation-template.json"),
        template(&name, modules),
    )?;
    let mut sources: Vec<(String, &str)> = vec![("index.js".into(), catalog::RUNNER)];
    for m in modules.iter().filter_map(|m| catalog::module(m)) {
        sources.push((format!("{}.js", m.name), m.source));
    }
    sources.push(("event.json".into(), catalog::sample_event(t)));
    for (file, text) in sources {
        let rel = format!("{dir}/src/{file}");
        if !store.exists(&rel) {
            store.write_bytes(&rel, text.as_bytes())?;
        }
    }
    if !store.exists(format!("{dir}/src/package.json")) {
        write(
            "src/package.json",
            json!({
                "name": name,
                "version": "2.0.0",
                "description": "Lambda function generated by authwiz",
                "main": "index.js",
                "license": "Apache-2.0"
            }),
        )?;
    }
    Ok(())
}

/// The function's CloudFormation template, as the Amplify CLI deploys a
/// trigger function (authwiz itself makes the function directly).
fn template(name: &str, modules: &[String]) -> Value {
    let string = || json!({"Type": "String", "Default": ""});
    let mut parameters = Map::new();
    let mut variables = Map::new();
    variables.insert("ENV".into(), json!({"Ref": "env"}));
    variables.insert("MODULES".into(), json!({"Ref": "modules"}));
    variables.insert("REGION".into(), json!({"Ref": "AWS::Region"}));
    for p in modules
        .iter()
        .filter_map(|m| catalog::module(m))
        .flat_map(|m| m.params)
    {
        parameters.insert(p.key.into(), string());
        variables.insert(p.key.into(), json!({"Ref": p.key}));
    }
    for k in [
        "modules",
        "resourceName",
        "functionName",
        "roleName",
        "parentResource",
        "parentStack",
    ] {
        parameters.insert(k.into(), string());
    }
    parameters.insert(
        "trigger".into(),
        json!({"Type": "String", "Default": "true"}),
    );
    parameters.insert("env".into(), json!({"Type": "String"}));
    let per_env = json!({"Fn::If": ["ShouldNotCreateEnvResources", name,
        {"Fn::Join": ["", [name, "-", {"Ref": "env"}]]}]});
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Lambda resource stack creation using Amplify CLI",
        "Parameters": parameters,
        "Conditions": {"ShouldNotCreateEnvResources": {"Fn::Equals": [{"Ref": "env"}, "NONE"]}},
        "Resources": {
            "LambdaFunction": {
                "Type": "AWS::Lambda::Function",
                "Metadata": {"aws:asset:path": "./src", "aws:asset:property": "Code"},
                "Properties": {
                    "Handler": "index.handler",
                    "FunctionName": per_env,
                    "Environment": {"Variables": variables},
                    "Role": {"Fn::GetAtt": ["LambdaExecutionRole", "Arn"]},
                    "Runtime": RUNTIME,
                    "Timeout": TIMEOUT
                }
            },
            "LambdaExecutionRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": per_env,
                    "AssumeRolePolicyDocument": lambda_trust()
                }
            },
            "lambdaexecutionpolicy": {
                "DependsOn": ["LambdaExecutionRole"],
                "Type": "AWS::IAM::Policy",
                "Properties": {
                    "PolicyName": "lambda-execution-policy",
                    "Roles": [{"Ref": "LambdaExecutionRole"}],
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{
                            "Effect": "Allow",
                            "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                            "Resource": {"Fn::Sub": ["arn:aws:logs:${region}:${account}:log-group:/aws/lambda/${lambda}:log-stream:*",
                                {"region": {"Ref": "AWS::Region"}, "account": {"Ref": "AWS::AccountId"}, "lambda": {"Ref": "LambdaFunction"}}]}
                        }]
                    }
                }
            }
        },
        "Outputs": {
            "Name": {"Value": {"Ref": "LambdaFunction"}},
            "Arn": {"Value": {"Fn::GetAtt": ["LambdaFunction", "Arn"]}},
            "LambdaExecutionRole": {"Value": {"Ref": "LambdaExecutionRole"}},
            "LambdaExecutionRoleArn": {"Value": {"Fn::GetAtt": ["LambdaExecutionRole", "Arn"]}},
            "Region": {"Value": {"Ref": "AWS::Region"}}
        }
    })
}

/// The runtime and timeout of a trigger function (Amplify 14's).
pub const RUNTIME: &str = "nodejs22.x";
pub const TIMEOUT: i32 = 25;

/// Lambda may assume the function's role.
pub fn lambda_trust() -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": ["lambda.amazonaws.com"]},
            "Action": ["sts:AssumeRole"]
        }]
    })
}
