//! S3: the storage bucket of an env.

use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
use aws_sdk_s3::{Client, Config};

use super::CloudError;

#[allow(async_fn_in_trait)]
pub trait S3 {
    async fn bucket_exists(&self, bucket: &str) -> Result<bool, CloudError>;
    async fn create_bucket(&self, bucket: &str, region: &str) -> Result<(), CloudError>;
    /// Deletes an empty bucket (the undo of a bucket this push created).
    async fn delete_bucket(&self, bucket: &str) -> Result<(), CloudError>;
}

pub struct SdkS3 {
    client: Client,
}

impl SdkS3 {
    pub fn new(config: Config) -> Self {
        SdkS3 {
            client: Client::from_conf(config),
        }
    }
}

impl S3 for SdkS3 {
    async fn bucket_exists(&self, bucket: &str) -> Result<bool, CloudError> {
        match self.client.head_bucket().bucket(bucket).send().await {
            Ok(_) => Ok(true),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => Ok(false),
            Err(e) => {
                let forbidden = e
                    .raw_response()
                    .is_some_and(|r| matches!(r.status().as_u16(), 301 | 403));
                match CloudError::from_sdk("s3:HeadBucket", format!("Bucket {bucket}"), e) {
                    CloudError::NotFound { .. } => Ok(false),
                    _ if forbidden => Err(taken(bucket)),
                    other => Err(other),
                }
            }
        }
    }

    async fn create_bucket(&self, bucket: &str, region: &str) -> Result<(), CloudError> {
        let mut req = self.client.create_bucket().bucket(bucket);
        if region != "us-east-1" {
            req = req.create_bucket_configuration(
                CreateBucketConfiguration::builder()
                    .location_constraint(BucketLocationConstraint::from(region))
                    .build(),
            );
        }
        match req.send().await {
            Ok(_) => Ok(()),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_bucket_already_exists()) =>
            {
                Err(taken(bucket))
            }
            Err(e) => Err(CloudError::from_sdk(
                "s3:CreateBucket",
                format!("Bucket {bucket}"),
                e,
            )),
        }
    }

    async fn delete_bucket(&self, bucket: &str) -> Result<(), CloudError> {
        self.delete(bucket).await
    }
}

impl SdkS3 {
    async fn delete(&self, bucket: &str) -> Result<(), CloudError> {
        match self.client.delete_bucket().bucket(bucket).send().await {
            Ok(_) => Ok(()),
            Err(e) => {
                match CloudError::from_sdk("s3:DeleteBucket", format!("Bucket {bucket}"), e) {
                    CloudError::NotFound { .. } => Ok(()),
                    other => Err(other),
                }
            }
        }
    }
}

/// Bucket names are global: another account (or region) has this one.
fn taken(bucket: &str) -> CloudError {
    CloudError::Failed {
        action: "s3:CreateBucket",
        message: format!(
            "bucket name {bucket} belongs to another account or region. Choose another name: `authwiz remove storage`, then `authwiz add storage --bucket-name OTHER`"
        ),
    }
}
