"""core.inject_trigger: dispatches a trigger through the API (POST /webhooks/st2) with the run's own token."""
from st2common.runners.base_action import Action


class InjectTriggerAction(Action):
    def run(self, trigger=None, trigger_name=None, payload=None, trace_tag=None):
        if trigger and trigger_name:
            raise ValueError("Parameters `trigger` and `trigger_name` are mutually exclusive.")
        if not trigger and not trigger_name:
            raise ValueError("You must include the `trigger_name` parameter.")
        client = self.action_service.datastore_service.get_api_client()
        return client.webhooks.post_generic_webhook(trigger=trigger or trigger_name, payload=payload or {}, trace_tag=trace_tag)
