"""core.uuid: a new UUID, as text."""
import uuid

from st2common.runners.base_action import Action


class GenerateUUID(Action):
    def run(self, uuid_type="uuid4"):
        makers = {"uuid1": uuid.uuid1, "uuid4": uuid.uuid4}
        if uuid_type not in makers:
            raise ValueError(f"uuid_type {uuid_type!r}: only uuid1 and uuid4 are supported")
        return str(makers[uuid_type]())
