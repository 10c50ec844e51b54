"""Local AWS emulator for authwiz tests: moto server 5.2.5 plus a few patches.

Run:  python tests/emulator/moto_ext.py -H 127.0.0.1 -p PORT

It serves the same API as ``moto_server`` (state in memory; ``POST /moto-api/reset``
wipes it). With ``--exit-with-stdin`` it exits when its standard input closes, so
a test binary that holds the other end of a pipe cannot leave it behind.

Accounts: moto keeps its state per account id, taken from the request's access key.
Here an access key ``AKIATEST`` + 12 digits (e.g. ``AKIATEST100000000007``) is
account ``100000000007``; keys that IAM in the emulator created map to their
account as in moto; every other key (``testing``, as scripts/emulator.sh and the
demo use) is moto's default account ``123456789012``. The tests start one emulator
per test binary and give each test its own key, so each test has its own empty
account. Unsigned requests (the Cognito sign-in calls aws-amplify makes) carry no
key: a client may name one in an ``X-Authwiz-Access-Key`` header instead. S3 bucket
names are per account here (on AWS they are global), so tests in different
accounts can use the same bucket names. What the patches below keep lives on moto's
per-account objects (identity pool roles on the pool; GetId looks in the caller's
account); the JWK cache holds moto's one dummy key, the same in every account.

It patches gaps in moto 5.2.5 that authwiz and its clients hit
(see docs: local-aws-emulator.md, sections 2 and 6):

* cognito-identity SetIdentityPoolRoles / GetIdentityPoolRoles: not implemented in
  moto (HTTP 500 HTML). Stored on the pool object; unknown pool -> JSON
  ResourceNotFoundException.
* cognito-identity ListIdentityPools: moto ignores MaxResults/NextToken and returns
  every pool in one page. Paged here (default 60; NextToken is an offset), and items
  are the short description (IdentityPoolId, IdentityPoolName) as on AWS.
* cognito-identity GetId on an unknown pool: moto raises KeyError (HTTP 500).
  Returns ResourceNotFoundException instead.
* cognito-identity GetCredentialsForIdentity: moto returns fixed placeholder keys
  tied to no role. Here the pool's authenticated (with Logins) or unauthenticated
  role is assumed through moto's STS, so ``sts:GetCallerIdentity`` with the keys
  names the role, as on AWS.
* cognito-idp InitiateAuth USER_SRP_AUTH: moto sets USER_ID_FOR_SRP to the user's
  sub; AWS uses the username. Amplify sends it back as USERNAME, so SRP sign-in
  failed on username pools. (SRP is still fake: any password is accepted.)
* cognito-idp GetTokensFromRefreshToken and RevokeToken: missing in moto; Amplify v6
  uses them for refresh and sign-out. Refresh works for public (no-secret) clients
  only, because moto's REFRESH_TOKEN_AUTH wants a SECRET_HASH otherwise.
* cognito-idp UpdateUserPool: moto resets the whole configuration to its defaults
  plus the request, so the attributes AWS never changes after creation
  (UsernameAttributes, AliasAttributes, UsernameConfiguration) were lost. They are
  kept here, as on AWS.
* cognito-idp SetUserPoolMfaConfig / GetUserPoolMfaConfig: moto accepts but drops
  EmailMfaConfiguration (email OTP MFA) and WebAuthnConfiguration (passkeys), and
  refuses MFA ON/OPTIONAL with email as the only method. They are stored on the pool
  and read back here, as on AWS.
* cognito-idp UpdateUserPoolClient and cognito-identity UpdateIdentityPool: moto
  merges the request into what the resource had; AWS resets every setting the
  request omits (and renames an identity pool). Reset here, as on AWS, so that a
  test of "an update keeps what it did not set" fails when authwiz omits a field.
* cognito-idp CreateUserPool: moto re-imports the same dummy RSA JWK (~130 ms) for
  every pool; the parsed key is cached (~20x faster).

It also adds a request counter so tests can assert which AWS API calls were made:

* every request naming an AWS operation is recorded as ``[service, Operation]``
  with the access key that made it. The operation comes from the ``X-Amz-Target``
  suffix (JSON protocol) or the ``Action`` query/form parameter (IAM/STS query
  protocol); the service from the target prefix or the SigV4 credential scope; the
  key from the SigV4 credential (``Authorization: ... Credential=KEY/...``, or the
  ``X-Amz-Credential`` query parameter of a presigned URL; every service signs the
  same way), else the ``X-Authwiz-Access-Key`` header.
* ``GET /_authwiz/calls`` -> ``{"calls": [["cognito-idp", "ListUserPools"], ...]}``
  in arrival order, and ``"served": N``, the number of calls ever recorded (a
  reset does not lower it); ``POST /_authwiz/calls/reset`` clears the list. With
  ``?key=KEY`` both apply to that access key's calls only (one test's).
  ``/moto-api/reset`` does not clear the counter.

The patches depend on moto internals, so moto is pinned to 5.2.5
(tests/emulator/requirements.txt).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import signal
import sys
import threading
from urllib.parse import parse_qs

from moto.cognitoidentity import models as ci_models
from moto.cognitoidentity.exceptions import ResourceNotFoundError as CiNotFound
from moto.cognitoidentity.responses import CognitoIdentityResponse
from moto.cognitoidp import models as idp_models
from moto.cognitoidp.responses import CognitoIdpResponse
from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult
from moto.iam import models as iam_models
from moto.s3 import models as s3_models
from moto.s3.exceptions import BucketAlreadyExists

# ---------------------------------------------------------------------------
# Accounts: one per test access key
# ---------------------------------------------------------------------------

TEST_KEY = re.compile(r"^AKIATEST(\d{12})$")
_moto_account_id_from = iam_models.get_account_id_from


def account_id_from(access_key: str) -> str:
    """The account of an access key: ``AKIATEST<12 digits>`` names it; otherwise
    moto's rule (a key IAM created here, else the default account)."""
    m = TEST_KEY.match(access_key or "")
    if m:
        return m.group(1)
    return _moto_account_id_from(access_key)


# moto.core.responses imports it from moto.iam.models at call time.
iam_models.get_account_id_from = account_id_from


class _PerAccountBucketNames(dict):
    """Stands in for ``s3_backends.bucket_accounts``, moto's global bucket-name
    registry: never holds anything, so a bucket name is looked up and checked for
    uniqueness in the caller's account only (each test owns an account)."""

    def __setitem__(self, key, value):
        pass


s3_models.s3_backends.bucket_accounts = _PerAccountBucketNames()
_orig_create_bucket = s3_models.S3Backend.create_bucket


def _create_bucket(self, bucket_name, region_name, *args, **kwargs):
    # moto checked the global registry; check this account's buckets instead.
    if bucket_name in self.buckets:
        raise BucketAlreadyExists(bucket=bucket_name)
    return _orig_create_bucket(self, bucket_name, region_name, *args, **kwargs)


s3_models.S3Backend.create_bucket = _create_bucket

# ---------------------------------------------------------------------------
# cognito-identity
# ---------------------------------------------------------------------------


def _identity_pool(backend, pool_id):
    pool = backend.identity_pools.get(pool_id)
    if pool is None:
        raise CiNotFound(pool_id)
    return pool


def set_identity_pool_roles(self):
    pool = _identity_pool(self.backend, self._get_param("IdentityPoolId"))
    pool.ext_roles = self._get_param("Roles") or {}
    pool.ext_role_mappings = self._get_param("RoleMappings") or {}
    return ""


def get_identity_pool_roles(self):
    pool_id = self._get_param("IdentityPoolId")
    pool = _identity_pool(self.backend, pool_id)
    out = {"IdentityPoolId": pool_id, "Roles": getattr(pool, "ext_roles", {})}
    mappings = getattr(pool, "ext_role_mappings", {})
    if mappings:
        out["RoleMappings"] = mappings
    return json.dumps(out)


def list_identity_pools(self):
    max_results = int(self._get_param("MaxResults") or 60)
    token = self._get_param("NextToken")
    try:
        start = int(token) if token else 0
    except ValueError:
        raise JsonRESTError("InvalidParameterException", "Invalid NextToken")
    pools = list(self.backend.identity_pools.values())
    page = pools[start : start + max_results]
    out = {
        "IdentityPools": [
            {"IdentityPoolId": p.identity_pool_id, "IdentityPoolName": p.identity_pool_name}
            for p in page
        ]
    }
    if start + max_results < len(pools):
        out["NextToken"] = str(start + max_results)
    return json.dumps(out)


CognitoIdentityResponse.set_identity_pool_roles = set_identity_pool_roles
CognitoIdentityResponse.get_identity_pool_roles = get_identity_pool_roles
CognitoIdentityResponse.list_identity_pools = list_identity_pools

_orig_get_id = ci_models.CognitoIdentityBackend.get_id


def _get_id(self, identity_pool_id):
    region = identity_pool_id.split(":")[0]
    backend = ci_models.cognitoidentity_backends[self.account_id][region]
    if identity_pool_id not in backend.identity_pools:
        raise CiNotFound(identity_pool_id)
    return _orig_get_id(self, identity_pool_id)


ci_models.CognitoIdentityBackend.get_id = _get_id


def _update_identity_pool(
    self,
    identity_pool_id,
    identity_pool_name,
    allow_unauthenticated,
    login_providers,
    provider_name,
    provider_arns,
    identity_providers,
    saml_providers,
    tags,
):
    """As AWS: the request is the pool's whole configuration, so an omitted list
    or map is emptied, and the name changes (moto kept the old name and merged
    the request into the pool). The developer provider name cannot change once
    set; tags stay when the request has none (they have calls of their own)."""
    pool = _identity_pool(self, identity_pool_id)
    if identity_pool_name:
        pool.identity_pool_name = identity_pool_name
    if allow_unauthenticated is not None:
        pool.allow_unauthenticated_identities = allow_unauthenticated
    pool.supported_login_providers = login_providers or {}
    if provider_name:
        pool.developer_provider_name = provider_name
    pool.open_id_connect_provider_arns = provider_arns or []
    pool.cognito_identity_providers = identity_providers or []
    pool.saml_provider_arns = saml_providers or []
    if tags:
        pool.tags = tags
    return pool.to_json()


ci_models.CognitoIdentityBackend.update_identity_pool = _update_identity_pool


def _identity_home(identity_id):
    """The (account, region, pool) an identity was issued for: the call that
    asks carries no signature, so every account is searched."""
    for account, regions in list(ci_models.cognitoidentity_backends.items()):
        for region, backend in list(regions.items()):
            for pool_id, entry in list(backend.pools_identities.items()):
                # moto keeps each identity as {"IdentityId": ...}.
                ids = [i.get("IdentityId") if isinstance(i, dict) else i for i in entry.get("Identities", [])]
                if identity_id in ids:
                    return account, region, backend.identity_pools.get(pool_id)
    return None, None, None


def get_credentials_for_identity(self):
    """Credentials of the role the identity pool hands out (authenticated with
    Logins, unauthenticated without), minted by STS as AssumeRoleWithWebIdentity
    does, so ``sts:GetCallerIdentity`` with them names that role. moto returns
    fixed placeholder keys tied to no role."""
    import datetime

    from moto.sts.models import sts_backends

    identity_id = self._get_param("IdentityId")
    account, region, pool = _identity_home(identity_id)
    if pool is None:
        raise CiNotFound(identity_id)
    roles = getattr(pool, "ext_roles", {})
    which = "authenticated" if self._get_param("Logins") else "unauthenticated"
    role_arn = roles.get(which)
    if not role_arn:
        raise JsonRESTError(
            "InvalidIdentityPoolConfigurationException",
            f"Invalid identity pool configuration. Check assigned IAM roles for this pool ({which}).",
        )
    sts = sts_backends[account]["aws"]
    role = sts.assume_role_with_web_identity(
        region_name=region,
        role_session_name="CognitoIdentityCredentials",
        role_arn=role_arn,
        policy=None,
        duration=3600,
        external_id=None,
    )
    expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    return json.dumps(
        {
            "IdentityId": identity_id,
            "Credentials": {
                "AccessKeyId": role.access_key_id,
                "SecretKey": role.secret_access_key,
                "SessionToken": role.session_token,
                "Expiration": expiration.timestamp(),
            },
        }
    )


CognitoIdentityResponse.get_credentials_for_identity = get_credentials_for_identity

# ---------------------------------------------------------------------------
# cognito-idp
# ---------------------------------------------------------------------------

def set_user_pool_mfa_config(self):
    pool = self.backend.describe_user_pool(self._get_param("UserPoolId"))
    email = self._get_param("EmailMfaConfiguration", None)
    web_authn = self._get_param("WebAuthnConfiguration", None)
    sms = self._get_param("SmsMfaConfiguration", None)
    token = self._get_param("SoftwareTokenMfaConfiguration", None)
    mode = self._get_param("MfaConfiguration")
    if mode in ("ON", "OPTIONAL") and sms is None and token is None and email is not None:
        # moto wants SMS or TOTP; email alone is a valid method on AWS.
        pool.mfa_config, pool.sms_mfa_config, pool.token_mfa_config = mode, None, None
    else:
        _orig_set_mfa(self)
    pool.ext_email_mfa = email
    if web_authn is not None:
        pool.ext_web_authn = web_authn
    return get_user_pool_mfa_config(self)


def get_user_pool_mfa_config(self):
    pool = self.backend.describe_user_pool(self._get_param("UserPoolId"))
    out = self.backend.get_user_pool_mfa_config(pool.id)
    if getattr(pool, "ext_email_mfa", None) is not None:
        out["EmailMfaConfiguration"] = pool.ext_email_mfa
    if getattr(pool, "ext_web_authn", None) is not None:
        out["WebAuthnConfiguration"] = pool.ext_web_authn
    return ActionResult({k: v for k, v in out.items() if v is not None})


_orig_set_mfa = CognitoIdpResponse.set_user_pool_mfa_config
CognitoIdpResponse.set_user_pool_mfa_config = set_user_pool_mfa_config
CognitoIdpResponse.get_user_pool_mfa_config = get_user_pool_mfa_config

_IMMUTABLE_POOL_SETTINGS = ("UsernameAttributes", "AliasAttributes", "UsernameConfiguration")
_orig_update_user_pool = idp_models.CognitoIdpBackend.update_user_pool


def _update_user_pool(self, user_pool_id, extended_config):
    pool = self.describe_user_pool(user_pool_id)
    kept = {k: pool.extended_config[k] for k in _IMMUTABLE_POOL_SETTINGS if k in pool.extended_config}
    _orig_update_user_pool(self, user_pool_id, extended_config)
    pool.extended_config.update(kept)


idp_models.CognitoIdpBackend.update_user_pool = _update_user_pool


def _update_user_pool_client(self, user_pool_id, client_id, extended_config):
    """As AWS: the client becomes its defaults plus the request (moto merged the
    request into what the client had, so an omitted setting survived an update
    that AWS would have reset). The name stays when the request has none."""
    user_pool = self.describe_user_pool(user_pool_id)
    client = user_pool.clients.get(client_id)
    if not client:
        raise idp_models.ResourceNotFoundError(client_id)
    name = client.extended_config.get("ClientName")
    client.extended_config = {
        "AllowedOAuthFlowsUserPoolClient": False,
        "AuthSessionValidity": 3,
        "EnablePropagateAdditionalUserContextData": False,
        "EnableTokenRevocation": True,
        "RefreshTokenValidity": 30,
    }
    client.extended_config.update(extended_config)
    if name and "ClientName" not in extended_config:
        client.extended_config["ClientName"] = name
    return client


idp_models.CognitoIdpBackend.update_user_pool_client = _update_user_pool_client

_orig_initiate_auth = idp_models.CognitoIdpBackend.initiate_auth


def _initiate_auth(self, client_id, auth_flow, auth_parameters):
    res = _orig_initiate_auth(self, client_id, auth_flow, auth_parameters)
    if isinstance(res, dict) and res.get("ChallengeName") == "PASSWORD_VERIFIER":
        params = res["ChallengeParameters"]
        params["USER_ID_FOR_SRP"] = params["USERNAME"]
    return res


idp_models.CognitoIdpBackend.initiate_auth = _initiate_auth


def get_tokens_from_refresh_token(self):
    params = {"REFRESH_TOKEN": self._get_param("RefreshToken")}
    res = self._get_region_agnostic_backend().initiate_auth(
        self._get_param("ClientId"), "REFRESH_TOKEN_AUTH", params
    )
    res["AuthenticationResult"]["RefreshToken"] = params["REFRESH_TOKEN"]
    return ActionResult(res)


def revoke_token(self):
    return ActionResult({})


CognitoIdpResponse.get_tokens_from_refresh_token = get_tokens_from_refresh_token
CognitoIdpResponse.revoke_token = revoke_token

_real_jwk = idp_models.jwk
_jwk_cache: dict[str, object] = {}
_jwk_lock = threading.Lock()


class _JwkShim:
    """Stands in for ``joserfc.jwk`` inside moto.cognitoidp.models; caches RSA keys."""

    class RSAKey:
        @staticmethod
        def import_key(data, *args, **kwargs):
            key = json.dumps(data, sort_keys=True)
            with _jwk_lock:
                if key not in _jwk_cache:
                    _jwk_cache[key] = _real_jwk.RSAKey.import_key(data, *args, **kwargs)
                return _jwk_cache[key]

    def __getattr__(self, name):  # anything else: the real module
        return getattr(_real_jwk, name)


idp_models.jwk = _JwkShim()

# ---------------------------------------------------------------------------
# Request counter (WSGI middleware)
# ---------------------------------------------------------------------------

TARGET_PREFIX_SERVICES = {
    "AWSCognitoIdentityProviderService": "cognito-idp",
    "AWSCognitoIdentityService": "cognito-identity",
}
UNSIGNED_QUERY_ACTIONS = {"AssumeRoleWithSAML": "sts", "AssumeRoleWithWebIdentity": "sts"}
CALLS_PATH = "/_authwiz/calls"


KEY_HEADER = "HTTP_X_AUTHWIZ_ACCESS_KEY"


def _credential(environ):
    """The SigV4 credential ``KEY/DATE/REGION/SERVICE/aws4_request`` as a list: from
    the ``Authorization`` header, or a presigned URL's ``X-Amz-Credential``."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    marker = "Credential="
    i = auth.find(marker)
    if i >= 0:
        return auth[i + len(marker) :].split(",", 1)[0].strip().split("/")
    query = environ.get("QUERY_STRING", "")
    if "X-Amz-Credential=" in query:
        values = parse_qs(query).get("X-Amz-Credential")
        if values:
            return values[0].split("/")
    return None


def _scope_service(environ):
    """Service from a SigV4 credential scope, or None."""
    scope = _credential(environ)
    # AKID/DATE/REGION/SERVICE/aws4_request
    return scope[3].lower() if scope and len(scope) == 5 else None


def access_key(environ):
    """The access key a request was made with: its SigV4 credential, else the
    ``X-Authwiz-Access-Key`` header (unsigned calls), else None."""
    scope = _credential(environ)
    if scope and scope[0]:
        return scope[0]
    return environ.get(KEY_HEADER) or None


def _buffer_form_body(environ):
    """Read a form-encoded body and put it back for moto; returns it as str."""
    if not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        return ""
    stream = environ.get("wsgi.input")
    if stream is None:
        return ""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > 0:
        body = stream.read(length)
    elif environ.get("wsgi.input_terminated"):  # chunked: read to EOF
        body = stream.read()
    else:
        return ""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return body.decode("utf-8", "replace")


def _s3_operation(environ):
    """S3's REST calls carry no operation name: derive the bucket-level ones
    authwiz makes (and the usual object ones) from the method and path."""
    method = environ.get("REQUEST_METHOD", "")
    parts = [p for p in environ.get("PATH_INFO", "").split("/") if p]
    query = environ.get("QUERY_STRING", "")
    if not parts:
        return "ListBuckets" if method == "GET" else None
    if len(parts) == 1:
        return {
            "PUT": "CreateBucket",
            "HEAD": "HeadBucket",
            "DELETE": "DeleteBucket",
            "GET": "ListObjectsV2" if "list-type=2" in query else "ListObjects",
        }.get(method)
    return {"PUT": "PutObject", "GET": "GetObject", "HEAD": "HeadObject", "DELETE": "DeleteObject"}.get(method)


def _lambda_operation(environ):
    """Lambda's REST calls carry no operation name: derive the ones authwiz
    makes from the method and path (``/2015-03-31/functions/NAME/...``)."""
    method = environ.get("REQUEST_METHOD", "")
    parts = [p for p in environ.get("PATH_INFO", "").split("/") if p]
    if len(parts) < 2 or parts[1] != "functions":
        return None
    rest = parts[3:] if len(parts) > 2 else []
    if len(parts) == 2:
        return {"POST": "CreateFunction", "GET": "ListFunctions"}.get(method)
    if not rest:
        return {"GET": "GetFunction", "DELETE": "DeleteFunction"}.get(method)
    return {
        ("code", "PUT"): "UpdateFunctionCode",
        ("configuration", "PUT"): "UpdateFunctionConfiguration",
        ("configuration", "GET"): "GetFunctionConfiguration",
        ("policy", "POST"): "AddPermission",
        ("policy", "GET"): "GetPolicy",
        ("policy", "DELETE"): "RemovePermission",
    }.get((rest[0], method))


def identify_call(environ):
    """Return (service, operation) for an AWS API request, or None."""
    service = operation = None
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        prefix, _, operation = target.rpartition(".")
        service = TARGET_PREFIX_SERVICES.get(prefix)
        operation = operation or None
    if operation is None:
        query = parse_qs(environ.get("QUERY_STRING", ""))
        actions = query.get("Action")
        if not actions and environ.get("REQUEST_METHOD") == "POST":
            actions = parse_qs(_buffer_form_body(environ)).get("Action")
        if actions:
            operation = actions[0]
            service = service or UNSIGNED_QUERY_ACTIONS.get(operation)
    if operation is None and _scope_service(environ) == "s3":
        operation = _s3_operation(environ)
    if operation is None and _scope_service(environ) == "lambda":
        operation = _lambda_operation(environ)
    if operation is None:
        return None
    service = _scope_service(environ) or service
    if service is None and target:
        service = target.rpartition(".")[0] or None
    return service or "unknown", operation


class CallCounter:
    """WSGI middleware: records AWS operations per access key, serves
    ``/_authwiz/calls``, and routes unsigned calls that name a key to its account."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        # (access key or None, service, operation) in arrival order
        self.calls: list[tuple[str | None, str, str]] = []
        # calls ever served per access key (a reset does not clear it)
        self.served: dict[str | None, int] = {}

    def _json(self, start_response, status, obj):
        body = json.dumps(obj).encode()
        start_response(
            status,
            [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
        )
        return [body]

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "").rstrip("/")
        method = environ.get("REQUEST_METHOD", "GET")
        if path in (CALLS_PATH, CALLS_PATH + "/reset"):
            keys = parse_qs(environ.get("QUERY_STRING", "")).get("key")
            mine = (lambda k: k == keys[0]) if keys else (lambda k: True)
            if path == CALLS_PATH and method == "GET":
                with self.lock:
                    calls = [[s, op] for k, s, op in self.calls if mine(k)]
                    served = self.served.get(keys[0], 0) if keys else sum(self.served.values())
                return self._json(start_response, "200 OK", {"calls": calls, "served": served})
            if path == CALLS_PATH + "/reset" and method == "POST":
                with self.lock:
                    self.calls = [c for c in self.calls if not mine(c[0])]
                return self._json(start_response, "200 OK", {"calls": []})
        if not path.startswith("/moto-api"):
            call = identify_call(environ)
            key = access_key(environ)
            if call is not None:
                with self.lock:
                    self.calls.append((key, *call))
                    self.served[key] = self.served.get(key, 0) + 1
            if key and environ.get(KEY_HEADER) and _credential(environ) is None:
                # An unsigned call naming its key: moto takes the account from here.
                environ["HTTP_X_MOTO_ACCOUNT_ID"] = account_id_from(key)
        return self.app(environ, start_response)


# ---------------------------------------------------------------------------
# Server
# ---------------------------------------------------------------------------


def build_app():
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    moto_app = DomainDispatcherApplication(create_backend_app)
    moto_app.debug = True  # as moto.server.main does
    return CallCounter(moto_app)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1", help="address to bind")
    parser.add_argument(
        "-p", "--port", type=int, default=int(os.environ.get("MOTO_PORT", 5000)),
        help="port to listen on",
    )
    parser.add_argument(
        "--exit-with-stdin", action="store_true",
        help="exit when standard input closes (the parent holds the other end)",
    )
    args = parser.parse_args(argv)

    if args.exit_with_stdin:
        def _watch_stdin():
            try:
                while sys.stdin.buffer.read(65536):
                    pass
            finally:
                os._exit(0)

        threading.Thread(target=_watch_stdin, daemon=True).start()

    # moto uses MOTO_PORT to build self-referencing URLs
    os.environ.setdefault("MOTO_PORT", str(args.port))

    def _exit(signum, frame):
        sys.exit(0)

    signal.signal(signal.SIGINT, _exit)
    signal.signal(signal.SIGTERM, _exit)

    from moto.moto_server.werkzeug_app import MotoRequestHandler
    from werkzeug.serving import run_simple

    # werkzeug logs each request to stderr (logger "werkzeug")
    run_simple(
        args.host,
        args.port,
        build_app(),
        threaded=True,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
