"""core.sendmail: one message through the host's sendmail (`sendmail -t`), as StackStorm's core pack sends it."""
import mimetypes
import os
import shutil
import socket
import subprocess
from email.message import EmailMessage

from st2common.runners.base_action import Action

SENDMAIL_TIMEOUT_SECONDS = 60


class SendMail(Action):
    def run(self, **parameters):
        to, subject, body = parameters["to"], parameters["subject"], parameters.get("body") or ""
        if not body.strip() and not parameters.get("send_empty_body", True):
            return {"sent": False, "reason": "the body is empty and send_empty_body is false"}
        sender = parameters.get("from") or "stanley"
        if "@" not in sender:
            sender = f"{sender}@{socket.getfqdn()}"
        message = EmailMessage()
        message["To"], message["From"], message["Subject"] = to, sender, subject
        content_type = parameters.get("content_type") or "text/html"
        message.set_content(body, subtype=content_type.split("/", 1)[1] if content_type.startswith("text/") else "plain", charset="utf-8")
        for path in [p.strip() for p in (parameters.get("attachments") or "").split(",") if p.strip()]:
            if not os.path.isfile(path):
                self.logger.warning("attachment %s not found, skipping", path)
                continue
            kind = (mimetypes.guess_type(path)[0] or "application/octet-stream").split("/", 1)
            with open(path, "rb") as attachment:
                message.add_attachment(attachment.read(), maintype=kind[0], subtype=kind[1], filename=os.path.basename(path))
        binary = parameters.get("sendmail_binary")
        if binary in (None, "", "None"):
            binary = shutil.which("sendmail")
            if not binary:
                raise RuntimeError("Unable to find sendmail binary in PATH (give its path in sendmail_binary)")
        command = [binary, "-t"]
        sent = subprocess.run(command, input=message.as_bytes(), capture_output=True, timeout=SENDMAIL_TIMEOUT_SECONDS)
        if sent.returncode != 0:
            raise RuntimeError(f"{command[0]} exited {sent.returncode}: {sent.stderr.decode(errors='replace').strip()[-2000:]}")
        return {"sent": True, "to": to, "subject": subject}
