"""A real SMTP server for the tests (aiosmtpd): accepts every message on 127.0.0.1:PORT and
appends it, parsed, as one JSON line to a file that the tests read back."""

import argparse
import base64
import email
import email.policy
import json
import signal
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "reply_to": str(message["Reply-To"] or ""),
            "subject": str(message["Subject"]),
            "message_id": str(message["Message-ID"]),
            "headers": [key.lower() for key in message.keys()],
            "text": text.get_content() if text else "",
            "html": html.get_content() if html else "",
            "attachments": [
                {
                    "content_type": part.get_content_type(),
                    "filename": part.get_filename() or "",
                    "base64": base64.b64encode(part.get_payload(decode=True) or b"").decode(),
                }
                for part in message.iter_attachments()
            ],
        }
        with self.lock, open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        return "250 2.0.0 Stored in the test sink"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    controller = Controller(Sink(args.out), hostname="127.0.0.1", port=args.port)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
