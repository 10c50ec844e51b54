//! `authwiz import auth`: flags or the headless JSON become answers, the import
//! flow (src/auth/import) resolves them against the cloud, and the result is
//! shown, confirmed and saved.

use crate::auth::error::AuthError;
use crate::auth::ids::{ClientId, GivenIds, IdentityPoolId, UserPoolId, given};
use crate::auth::import::{
    Discovery, Request, existing_auth, headless, resolve, resource_name, summary_lines,
};
use crate::auth::model::Imported;
use crate::cli::ImportAuthArgs;
use crate::cloud::CloudError;
use crate::error::Result;
use crate::project::{Layout, Project};
use crate::prompt::{Asker, Prompter, Question};
use crate::ui::{NoticeRenderer, Ui};

use super::Context;

fn from_flags(args: &ImportAuthArgs) -> Result<GivenIds, AuthError> {
    fn id<T>(
        v: &Option<String>,
        parse: fn(&str) -> Result<T, String>,
        flag: &str,
    ) -> Result<Option<T>, AuthError> {
        v.as_deref().map(|s| given(parse, s, flag)).transpose()
    }
    Ok(GivenIds {
        user_pool: id(&args.user_pool_id, UserPoolId::parse, "--user-pool-id")?,
        web_client: id(&args.web_client_id, ClientId::parse, "--web-client-id")?,
        native_client: id(
            &args.native_client_id,
            ClientId::parse,
            "--native-client-id",
        )?,
        identity_pool: id(
            &args.identity_pool_id,
            IdentityPoolId::parse,
            "--identity-pool-id",
        )?,
    })
}

pub fn run(ctx: &Context, args: ImportAuthArgs, prompter: &mut dyn Prompter) -> Result<()> {
    let (mut project, _lock) = ctx.open_locked()?;
    let env = project.current_env()?.to_string();
    let ids = if args.headless {
        headless::parse(&super::read_stdin(ctx, "authwiz import auth --headless")?)?
    } else {
        from_flags(&args)?
    };
    // Without a terminal to ask in, the flags name every resource.
    let unattended = ctx.yes || args.headless;
    if ctx.yes && !args.headless {
        let missing: Vec<&str> = [
            (ids.user_pool.is_none(), "--user-pool-id ID"),
            (ids.web_client.is_none(), "--web-client-id ID"),
            (ids.native_client.is_none(), "--native-client-id ID"),
        ]
        .iter()
        .filter(|(m, _)| *m)
        .map(|(_, f)| *f)
        .collect();
        if !missing.is_empty() {
            return Err(AuthError::MissingFlags(missing.join(", ")).into());
        }
    }
    if let Some(name) = existing_auth(&project, &env, &ids)? {
        ctx.ui.line(format!(
            "Auth resource '{name}' already imports these resources in environment '{env}'; nothing to change."
        ));
        return Ok(());
    }
    let region = project
        .env_region(&env)
        .map(str::to_string)
        .or_else(|| ctx.aws.region.clone())
        .ok_or(CloudError::NoRegion)?;
    if !unattended {
        ctx.ui
            .line("Using service: Cognito, provided by: awscloudformation");
    }
    let aws = ctx.connect(&project, &env)?;
    let (idp, identity, iam) = (aws.cognito_idp(), aws.cognito_identity(), aws.iam());
    let disc = Discovery::new(&idp, &identity, &iam);
    let mut asker = Asker::new(prompter, unattended);
    for (q, v) in ids.all_answers() {
        asker.give(q, Some(v));
    }
    // Headless names the resource after the project, as Amplify does.
    let suffix = uuid::Uuid::new_v4().simple().to_string();
    let request = Request {
        resource_name: resource_name(
            &project.config.value.project_name,
            (!args.headless).then_some(suffix.as_str()),
        ),
        region,
        env: env.clone(),
        fixed: None,
    };
    let mut notices = if args.headless {
        NoticeRenderer::quiet(&ctx.ui)
    } else {
        NoticeRenderer::new(&ctx.ui)
    };
    let imported = aws.block_on(resolve(&disc, &mut asker, &mut notices, &request))?;
    drop(notices);
    for line in summary_lines(&imported, &env) {
        ctx.ui.line(line);
    }
    let q = Question::new("confirm", "Link these resources to the project?", "--yes");
    if !asker.proceed(&q, true)? {
        return Err(AuthError::Cancelled.into());
    }
    imported.apply(&mut project, &env);
    save(&project, &imported)?;
    if !args.headless {
        success(&ctx.ui, &imported);
    }
    Ok(())
}

fn save(project: &Project, imported: &Imported) -> Result<()> {
    project
        .store
        .write(&imported.parameters_doc(&project.store), Layout::Ordered)?;
    project.save_meta()?;
    project.save_backend_config()?;
    project.save_tpi()?;
    Ok(project.commit("import auth")?)
}

fn success(ui: &Ui, i: &Imported) {
    ui.blank();
    match &i.identity {
        None => ui.success(format!(
            "Cognito User Pool '{}' was successfully imported.",
            i.pool.name
        )),
        Some(l) => ui.success(format!(
            "Cognito User Pool '{}' and Identity Pool '{}' was successfully imported.",
            i.pool.name, l.pool.name
        )),
    }
    ui.blank();
    ui.line("Next steps:");
    ui.blank();
    ui.line("- Run `authwiz push` to record the import and generate the client configuration (aws-exports.js, amplifyconfiguration.json, amplify_outputs.json).");
    ui.line("- Grant signed-in users (and guests) access to files with `authwiz add storage`.");
    ui.line(
        "- Use Amplify libraries to add sign up, sign in, and sign out capabilities to your client",
    );
    ui.line("  application.");
    ui.line("  - iOS: https://docs.amplify.aws/lib/auth/getting-started/q/platform/ios");
    ui.line("  - Android: https://docs.amplify.aws/lib/auth/getting-started/q/platform/android");
    ui.line("  - JavaScript: https://docs.amplify.aws/lib/auth/getting-started/q/platform/js");
}
