"""Seed a running local AWS emulator (tests/emulator/moto_ext.py) with a demo setup.

Usage: python tests/emulator/seed.py --endpoint http://127.0.0.1:PORT [--region us-east-1] [--access-key KEY]

Creates: user pool ``corp-users`` (email as username), app clients ``corp-web``
(public) and ``corp-native`` (secret), identity pool ``corp_identity`` using both
clients, IAM roles ``corp-auth-role`` / ``corp-unauth-role`` trusted by that
identity pool and set as its roles, and a confirmed user ``demo@example.com``.
Prints the ids as one JSON object on stdout. Idempotent: a second run reuses
what exists (found by name) and prints the same ids.

Needs moto_ext.py (vanilla moto lacks SetIdentityPoolRoles).
"""

from __future__ import annotations

import argparse
import json
import sys

import boto3

USERNAME = "demo@example.com"
PASSWORD = "Passw0rd!demo"


def trust_policy(identity_pool_id: str, amr: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": {
                        "StringEquals": {"cognito-identity.amazonaws.com:aud": identity_pool_id},
                        "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": amr},
                    },
                }
            ],
        }
    )


def first(pages, key: str, name_key: str, name: str):
    """The first item of a paginated listing whose `name_key` is `name`, or None."""
    for page in pages:
        for item in page[key]:
            if item[name_key] == name:
                return item
    return None


def role(iam, name: str, trust: str) -> str:
    """The role's ARN: reused by name (its trust policy brought up to date), else created."""
    try:
        arn = iam.get_role(RoleName=name)["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        return iam.create_role(RoleName=name, Path="/", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    iam.update_assume_role_policy(RoleName=name, PolicyDocument=trust)
    return arn


def seed(endpoint: str, region: str, access_key: str = "testing") -> dict:
    """Creates the demo setup, reusing by name whatever a previous run created, so
    that seeding twice (or after a half-finished run) gives the same ids."""
    kw = dict(
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key="testing",
    )
    idp = boto3.client("cognito-idp", **kw)
    ci = boto3.client("cognito-identity", **kw)
    iam = boto3.client("iam", **kw)

    pool = first(
        idp.get_paginator("list_user_pools").paginate(MaxResults=60), "UserPools", "Name", "corp-users"
    )
    pool_id = pool["Id"] if pool else idp.create_user_pool(
        PoolName="corp-users",
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        Policies={
            "PasswordPolicy": {
                "MinimumLength": 10,
                "RequireLowercase": True,
                "RequireUppercase": True,
                "RequireNumbers": True,
                "RequireSymbols": False,
            }
        },
    )["UserPool"]["Id"]

    def client(name: str, **create) -> str:
        found = first(
            idp.get_paginator("list_user_pool_clients").paginate(UserPoolId=pool_id, MaxResults=60),
            "UserPoolClients",
            "ClientName",
            name,
        )
        if found:
            return found["ClientId"]
        return idp.create_user_pool_client(UserPoolId=pool_id, ClientName=name, **create)[
            "UserPoolClient"
        ]["ClientId"]

    web_client_id = client(
        "corp-web",
        GenerateSecret=False,
        ExplicitAuthFlows=[
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
        ],
    )
    native_client_id = client("corp-native", GenerateSecret=True)

    provider_name = f"cognito-idp.{region}.amazonaws.com/{pool_id}"
    providers = [
        {"ProviderName": provider_name, "ClientId": web_client_id, "ServerSideTokenCheck": False},
        {"ProviderName": provider_name, "ClientId": native_client_id, "ServerSideTokenCheck": False},
    ]
    found = first(
        ci.get_paginator("list_identity_pools").paginate(MaxResults=60),
        "IdentityPools",
        "IdentityPoolName",
        "corp_identity",
    )
    if found:
        identity_pool_id = found["IdentityPoolId"]
        current = ci.describe_identity_pool(IdentityPoolId=identity_pool_id)
        if current.get("CognitoIdentityProviders") != providers:
            ci.update_identity_pool(
                IdentityPoolId=identity_pool_id,
                IdentityPoolName="corp_identity",
                AllowUnauthenticatedIdentities=True,
                CognitoIdentityProviders=providers,
            )
    else:
        identity_pool_id = ci.create_identity_pool(
            IdentityPoolName="corp_identity",
            AllowUnauthenticatedIdentities=True,
            CognitoIdentityProviders=providers,
        )["IdentityPoolId"]

    auth_role_arn = role(iam, "corp-auth-role", trust_policy(identity_pool_id, "authenticated"))
    unauth_role_arn = role(iam, "corp-unauth-role", trust_policy(identity_pool_id, "unauthenticated"))

    ci.set_identity_pool_roles(
        IdentityPoolId=identity_pool_id,
        Roles={"authenticated": auth_role_arn, "unauthenticated": unauth_role_arn},
    )

    try:
        idp.admin_get_user(UserPoolId=pool_id, Username=USERNAME)
    except idp.exceptions.UserNotFoundException:
        idp.admin_create_user(
            UserPoolId=pool_id,
            Username=USERNAME,
            UserAttributes=[
                {"Name": "email", "Value": USERNAME},
                {"Name": "email_verified", "Value": "true"},
            ],
            MessageAction="SUPPRESS",
        )
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=USERNAME, Password=PASSWORD, Permanent=True
    )

    return {
        "userPoolId": pool_id,
        "webClientId": web_client_id,
        "nativeClientId": native_client_id,
        "identityPoolId": identity_pool_id,
        "authRoleArn": auth_role_arn,
        "unauthRoleArn": unauth_role_arn,
        "username": USERNAME,
        "password": PASSWORD,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Seed the local AWS emulator with demo data.")
    parser.add_argument("--endpoint", required=True, help="e.g. http://127.0.0.1:5001")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument(
        "--access-key", default="testing",
        help="the emulator keeps an account per key (AKIATEST<12 digits>); default: moto's default account",
    )
    args = parser.parse_args(argv)
    json.dump(seed(args.endpoint, args.region, args.access_key), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
