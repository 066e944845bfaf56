# Older StackStorm packs import Action from here.
from st2common.runners.base_action import Action  # noqa: F401
