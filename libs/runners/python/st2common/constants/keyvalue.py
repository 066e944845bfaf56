"""The datastore's scope names, where StackStorm packs import them from.

A key lives in the `system` scope (shared) or the `user` scope (the acting
user's); templates and the API also spell them `st2kv.system` and `st2kv.user`.
"""

__all__ = [
    "ALL_SCOPE",
    "ALLOWED_SCOPES",
    "DATASTORE_KEY_SEPARATOR",
    "DATASTORE_PARENT_SCOPE",
    "DATASTORE_SCOPE_SEPARATOR",
    "FULL_SYSTEM_SCOPE",
    "FULL_USER_SCOPE",
    "SYSTEM_SCOPE",
    "SYSTEM_SCOPES",
    "USER_SCOPE",
    "USER_SCOPES",
    "USER_SEPARATOR",
]

DATASTORE_PARENT_SCOPE = "st2kv"
DATASTORE_SCOPE_SEPARATOR = "."

SYSTEM_SCOPE = "system"
USER_SCOPE = "user"
ALL_SCOPE = "all"
FULL_SYSTEM_SCOPE = DATASTORE_PARENT_SCOPE + DATASTORE_SCOPE_SEPARATOR + SYSTEM_SCOPE
FULL_USER_SCOPE = DATASTORE_PARENT_SCOPE + DATASTORE_SCOPE_SEPARATOR + USER_SCOPE
SYSTEM_SCOPES = [SYSTEM_SCOPE]
USER_SCOPES = [USER_SCOPE]
ALLOWED_SCOPES = [SYSTEM_SCOPE, USER_SCOPE, FULL_SYSTEM_SCOPE, FULL_USER_SCOPE]

# Between a pack/class prefix and a key's own name (`my_pack.MyAction:key`), and between a user and a key.
DATASTORE_KEY_SEPARATOR = ":"
USER_SEPARATOR = ":"
