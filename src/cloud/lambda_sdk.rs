//! [`FunctionApi`] over the AWS SDK.

use aws_sdk_lambda as lambda;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde_json::Value;

use super::CloudError;
use super::deploy::absent;
use super::deploy_sdk::SdkDeploy;
use super::lambda::{COGNITO_PRINCIPAL, FunctionApi, FunctionSpec, LiveFunction, source_of};

fn failed(action: &'static str, what: &str, e: impl std::fmt::Display) -> CloudError {
    CloudError::Failed {
        action,
        message: format!("{what}: {e}"),
    }
}

fn environment(spec: &FunctionSpec) -> lambda::types::Environment {
    lambda::types::Environment::builder()
        .set_variables(Some(spec.environment.clone().into_iter().collect()))
        .build()
}

impl FunctionApi for SdkDeploy {
    async fn read_function(&self, name: &str) -> Result<Option<LiveFunction>, CloudError> {
        let r = self
            .lambda
            .get_function()
            .function_name(name)
            .send()
            .await
            .map_err(|e| CloudError::from_sdk("lambda:GetFunction", format!("function {name}"), e));
        let Some(out) = absent(r)? else {
            return Ok(None);
        };
        let Some(c) = out.configuration() else {
            return Ok(None);
        };
        let spec = FunctionSpec {
            name: c.function_name().unwrap_or(name).to_string(),
            role: c.role().unwrap_or_default().to_string(),
            runtime: c
                .runtime()
                .map(|r| r.as_str().to_string())
                .unwrap_or_default(),
            handler: c.handler().unwrap_or_default().to_string(),
            timeout: c.timeout().unwrap_or_default(),
            environment: c
                .environment()
                .and_then(|e| e.variables())
                .map(|v| v.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
            code_sha256: c.code_sha256().unwrap_or_default().to_string(),
            tags: out
                .tags()
                .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
        };
        Ok(Some(LiveFunction {
            arn: c.function_arn().unwrap_or_default().to_string(),
            spec,
        }))
    }

    async fn create_function(&self, spec: &FunctionSpec, zip: &[u8]) -> Result<String, CloudError> {
        let runtime = lambda::types::Runtime::from(spec.runtime.as_str());
        let mut attempt = 0;
        loop {
            let sent = self
                .lambda
                .create_function()
                .function_name(&spec.name)
                .role(&spec.role)
                .runtime(runtime.clone())
                .handler(&spec.handler)
                .timeout(spec.timeout)
                .environment(environment(spec))
                .set_tags(Some(spec.tags.clone().into_iter().collect()))
                .code(
                    lambda::types::FunctionCode::builder()
                        .zip_file(aws_smithy_types::Blob::new(zip))
                        .build(),
                )
                .send()
                .await;
            match sent {
                Ok(out) => return Ok(out.function_arn().unwrap_or_default().to_string()),
                // A new role takes seconds to reach Lambda.
                Err(e)
                    if e.code() == Some("InvalidParameterValueException")
                        && e.message().is_some_and(|m| m.contains("cannot be assumed"))
                        && attempt < 10 =>
                {
                    attempt += 1;
                    self.pause(std::time::Duration::from_secs(3)).await;
                }
                // A name is unique: one carrying this push's tags and code is
                // the one an attempt whose reply was lost made.
                Err(e) if e.code() == Some("ResourceConflictException") => {
                    return match self.read_function(&spec.name).await? {
                        Some(l)
                            if l.spec.tags == spec.tags
                                && l.spec.code_sha256 == spec.code_sha256 =>
                        {
                            Ok(l.arn)
                        }
                        _ => Err(CloudError::from_sdk(
                            "lambda:CreateFunction",
                            format!("function {}", spec.name),
                            e,
                        )),
                    };
                }
                Err(e) => {
                    return Err(CloudError::from_sdk(
                        "lambda:CreateFunction",
                        format!("function {}", spec.name),
                        e,
                    ));
                }
            }
        }
    }

    async fn update_function_code(&self, name: &str, zip: &[u8]) -> Result<(), CloudError> {
        self.settled(name).await?;
        self.lambda
            .update_function_code()
            .function_name(name)
            .zip_file(aws_smithy_types::Blob::new(zip))
            .send()
            .await
            .map_err(|e| {
                CloudError::from_sdk("lambda:UpdateFunctionCode", format!("function {name}"), e)
            })?;
        Ok(())
    }

    async fn update_function_configuration(&self, spec: &FunctionSpec) -> Result<(), CloudError> {
        self.settled(&spec.name).await?;
        self.lambda
            .update_function_configuration()
            .function_name(&spec.name)
            .role(&spec.role)
            .runtime(lambda::types::Runtime::from(spec.runtime.as_str()))
            .handler(&spec.handler)
            .timeout(spec.timeout)
            .environment(environment(spec))
            .send()
            .await
            .map_err(|e| {
                CloudError::from_sdk(
                    "lambda:UpdateFunctionConfiguration",
                    format!("function {}", spec.name),
                    e,
                )
            })?;
        Ok(())
    }

    async fn delete_function(&self, name: &str) -> Result<(), CloudError> {
        let r = self
            .lambda
            .delete_function()
            .function_name(name)
            .send()
            .await
            .map_err(|e| {
                CloudError::from_sdk("lambda:DeleteFunction", format!("function {name}"), e)
            });
        absent(r).map(|_| ())
    }

    async fn read_invoke_permission(
        &self,
        function: &str,
        sid: &str,
    ) -> Result<Option<String>, CloudError> {
        let r = self
            .lambda
            .get_policy()
            .function_name(function)
            .send()
            .await
            .map_err(|e| {
                CloudError::from_sdk("lambda:GetPolicy", format!("function {function}"), e)
            });
        let Some(out) = absent(r)? else {
            return Ok(None);
        };
        let policy: Value = serde_json::from_str(out.policy().unwrap_or("{}"))
            .map_err(|e| failed("lambda:GetPolicy", function, e))?;
        Ok(source_of(&policy, sid))
    }

    async fn add_invoke_permission(
        &self,
        function: &str,
        sid: &str,
        source: &str,
    ) -> Result<(), CloudError> {
        let r = self
            .lambda
            .add_permission()
            .function_name(function)
            .statement_id(sid)
            .action("lambda:InvokeFunction")
            .principal(COGNITO_PRINCIPAL)
            .source_arn(source)
            .send()
            .await;
        match r {
            Ok(_) => Ok(()),
            // The statement is there: this push's (a lost reply) when it names this pool.
            Err(e) if e.code() == Some("ResourceConflictException") => {
                match self.read_invoke_permission(function, sid).await? {
                    Some(s) if s == source => Ok(()),
                    _ => Err(CloudError::from_sdk(
                        "lambda:AddPermission",
                        format!("function {function}"),
                        e,
                    )),
                }
            }
            Err(e) => Err(CloudError::from_sdk(
                "lambda:AddPermission",
                format!("function {function}"),
                e,
            )),
        }
    }

    async fn remove_invoke_permission(&self, function: &str, sid: &str) -> Result<(), CloudError> {
        let r = self
            .lambda
            .remove_permission()
            .function_name(function)
            .statement_id(sid)
            .send()
            .await
            .map_err(|e| {
                CloudError::from_sdk("lambda:RemovePermission", format!("function {function}"), e)
            });
        absent(r).map(|_| ())
    }
}

impl SdkDeploy {
    /// Waits until the function takes a change (Lambda refuses one while
    /// another is in progress); bounded.
    async fn settled(&self, name: &str) -> Result<(), CloudError> {
        for _ in 0..30 {
            let out = self
                .lambda
                .get_function_configuration()
                .function_name(name)
                .send()
                .await
                .map_err(|e| {
                    CloudError::from_sdk(
                        "lambda:GetFunctionConfiguration",
                        format!("function {name}"),
                        e,
                    )
                })?;
            let busy = out
                .last_update_status()
                .is_some_and(|s| s.as_str() == "InProgress")
                || out.state().is_some_and(|s| s.as_str() == "Pending");
            if !busy {
                return Ok(());
            }
            self.pause(std::time::Duration::from_secs(2)).await;
        }
        Err(failed(
            "lambda:UpdateFunction",
            name,
            "the function is still being changed after 60 s; run the push again",
        ))
    }
}
