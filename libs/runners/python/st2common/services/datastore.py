"""The datastore as StackStorm's Python actions use it (`self.action_service`).

Calls the gateway's keys API (ST2_ACTION_API_URL) with the run's own token
(ST2_ACTION_AUTH_TOKEN), which acts as the execution's user. Standard library
only, so packs need nothing installed for it.
"""
import json
import os
import urllib.error
import urllib.parse
import urllib.request

from st2common.constants.keyvalue import DATASTORE_KEY_SEPARATOR, FULL_SYSTEM_SCOPE, FULL_USER_SCOPE, SYSTEM_SCOPE, USER_SCOPE

__all__ = ["ActionDatastoreService", "DatastoreError", "KeyValuePair"]

_SCOPES = {SYSTEM_SCOPE: SYSTEM_SCOPE, FULL_SYSTEM_SCOPE: SYSTEM_SCOPE, USER_SCOPE: USER_SCOPE, FULL_USER_SCOPE: USER_SCOPE}
_TIMEOUT_SECONDS = 30


class DatastoreError(Exception):
    """A datastore call the gateway refused or did not answer; `key` and `status` (None: no answer) say which and why."""

    def __init__(self, operation, key, status, message):
        self.key = key
        self.status = status
        answer = f"HTTP {status}: {message}" if status is not None else message
        super().__init__(f'action_service.{operation}: key "{key}": {answer}')


class KeyValuePair:
    """A key as list_values() returns it, with StackStorm's attribute names."""

    def __init__(self, fields):
        self.name = fields.get("name")
        self.value = fields.get("value")
        self.secret = fields.get("secret", False)
        self.encrypted = fields.get("encrypted", False)
        self.scope = fields.get("scope")
        self.user = fields.get("user")
        self.expire_timestamp = fields.get("expire_timestamp")

    @property
    def id(self):
        return self.name

    def __repr__(self):
        return f"<KeyValuePair name={self.name!r} value={self.value!r}>"


class ActionDatastoreService:
    """
    StackStorm's action datastore API. With `local=True` (the default) a key's
    name is prefixed `<pack>.<action class name>:`, as StackStorm does, so each
    action keeps its own keys; `local=False` uses the name as given.

    As in StackStorm, get_value() answers None for a missing key and
    delete_value() False; any other failure raises DatastoreError.
    """

    def __init__(self, logger, pack_name, class_name, auth_token=None, api_url=None):
        self._logger = logger
        self._local_prefix = f"{pack_name}.{class_name}{DATASTORE_KEY_SEPARATOR}"
        self._auth_token = auth_token if auth_token is not None else os.environ.get("ST2_ACTION_AUTH_TOKEN")
        self._api_url = (api_url if api_url is not None else os.environ.get("ST2_ACTION_API_URL", "")).rstrip("/")

    def list_values(self, local=True, prefix=None, limit=None, offset=None):
        key_prefix = (self._local_prefix if local else "") + (prefix or "")
        self._logger.debug("Listing datastore values (prefix=%s)", key_prefix)
        _, keys = self._call("list_values", key_prefix + "*", "GET", None, {"prefix": key_prefix} if key_prefix else {})
        start = offset or 0
        return [KeyValuePair(fields) for fields in keys[start : start + limit if limit else None]]

    def get_value(self, name, local=True, scope=SYSTEM_SCOPE, decrypt=False):
        key = self._key_name(name, local)
        self._logger.debug("Retrieving value from the datastore (name=%s)", key)
        found, fields = self._call("get_value", key, "GET", key, {"scope": _scope(scope), "decrypt": "true" if decrypt else "false"}, missing_ok=True)
        return fields["value"] if found else None

    def set_value(self, name, value, ttl=None, local=True, scope=SYSTEM_SCOPE, encrypt=False):
        key = self._key_name(name, local)
        self._logger.debug("Setting value in the datastore (name=%s)", key)
        body = {"name": key, "value": str(value), "scope": _scope(scope)}
        if encrypt:
            body["secret"] = True
        if ttl:
            body["ttl"] = ttl
        self._call("set_value", key, "PUT", key, body=body)
        return True

    def delete_value(self, name, local=True, scope=SYSTEM_SCOPE):
        key = self._key_name(name, local)
        self._logger.debug("Deleting value from the datastore (name=%s)", key)
        found, _ = self._call("delete_value", key, "DELETE", key, {"scope": _scope(scope)}, missing_ok=True)
        return found

    @property
    def datastore_service(self):
        """StackStorm's action_service.datastore_service: the same service here."""
        return self

    def get_api_client(self):
        """The part of st2client's Client that actions use, acting with the run's token: `webhooks.post_generic_webhook`."""
        return _ApiClient(self)

    def _key_name(self, name, local):
        return f"{self._local_prefix}{name}" if local else name

    def _call(self, operation, key, method, name, query=None, body=None, missing_ok=False, path=None):
        """(found, answer): one request to the keys API (or `path`); a 404 is (False, None) where `missing_ok`."""
        if not self._api_url or not self._auth_token:
            raise DatastoreError(operation, key, None, "the datastore needs ST2_ACTION_API_URL and ST2_ACTION_AUTH_TOKEN, which Tempest's worker sets for each run")
        url = f"{self._api_url}{path}" if path else f"{self._api_url}/keys" + (f"/{urllib.parse.quote(name, safe='')}" if name is not None else "")
        if query:
            url += "?" + urllib.parse.urlencode(query)
        headers = {"X-Auth-Token": self._auth_token, "Accept": "application/json"}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode("utf-8")
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=_TIMEOUT_SECONDS) as response:
                text = response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            if error.code == 404 and missing_ok:
                return False, None
            raise DatastoreError(operation, key, error.code, _message(error)) from None
        except OSError as error:  # URLError, refused connections and timeouts
            raise DatastoreError(operation, key, None, f"no answer from {self._api_url}: {getattr(error, 'reason', error)}") from None
        return True, json.loads(text) if text else None


class _Webhooks:
    def __init__(self, service):
        self._service = service

    def post_generic_webhook(self, trigger, payload=None, trace_tag=None):
        """Dispatches `trigger` with `payload` (POST /webhooks/st2); the answer says what it started."""
        body = {"trigger": trigger, "payload": payload or {}}
        if trace_tag:
            body["trace_tag"] = trace_tag
        _, answer = self._service._call("post_generic_webhook", trigger, "POST", None, body=body, path="/webhooks/st2")
        return answer


class _ApiClient:
    def __init__(self, service):
        self.webhooks = _Webhooks(service)


def _scope(scope):
    if scope not in _SCOPES:
        raise ValueError(f"scope {scope!r} must be system or user (or st2kv.system, st2kv.user)")
    return _SCOPES[scope]


def _message(error):
    """The gateway's `message` (a text, or a list of problems), else the HTTP reason."""
    try:
        message = json.loads(error.read().decode("utf-8")).get("message")
    except (ValueError, AttributeError, OSError):
        message = None
    if isinstance(message, list):
        message = "; ".join(str(m) for m in message)
    return message or error.reason
