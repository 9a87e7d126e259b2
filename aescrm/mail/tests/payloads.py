"""Postmark webhook bodies in the shape of Postmark's documentation examples."""

from __future__ import annotations

from typing import Any


def inbound(
    *,
    sender: str,
    name: str = "Jane Patient",
    to: str = "4f1a2b3c@inbound.postmarkapp.com",
    mailbox_hash: str = "",
    message_id: str = "73e6d360-66eb-11e1-8e72-a8904824019b",
    subject: str = "Re: Your appointment",
    text: str = "Thank you, see you then.\n\nOn Tue, the clinic wrote:\n> Old text",
    stripped: str = "Thank you, see you then.",
    header_id: str = "<CAE2abc123@mail.example.net>",
    in_reply_to: str = "",
) -> dict[str, Any]:
    local, domain = to.split("@")
    address = f"{local}+{mailbox_hash}@{domain}" if mailbox_hash else to
    headers = [
        {"Name": "Return-Path", "Value": f"<{sender}>"},
        {"Name": "X-Spam-Checker-Version", "Value": "SpamAssassin 3.3.1"},
        {"Name": "X-Spam-Status", "Value": "No"},
        {"Name": "X-Spam-Score", "Value": "-0.1"},
        {"Name": "MIME-Version", "Value": "1.0"},
        {"Name": "Message-ID", "Value": header_id},
    ]
    if in_reply_to:
        headers.append({"Name": "In-Reply-To", "Value": in_reply_to})
        headers.append({"Name": "References", "Value": in_reply_to})
    return {
        "FromName": name,
        "MessageStream": "inbound",
        "From": sender,
        "FromFull": {"Email": sender, "Name": name, "MailboxHash": ""},
        "To": f'"Alpha Dental" <{address}>',
        "ToFull": [{"Email": address, "Name": "Alpha Dental", "MailboxHash": mailbox_hash}],
        "Cc": "",
        "CcFull": [],
        "Bcc": "",
        "BccFull": [],
        "OriginalRecipient": address,
        "Subject": subject,
        "MessageID": message_id,
        "ReplyTo": "",
        "MailboxHash": mailbox_hash,
        "Date": "Fri, 27 Nov 2026 12:05:00 +0000",
        "TextBody": text,
        "HtmlBody": "<html><body><p>Thank you, see you then.</p></body></html>",
        "StrippedTextReply": stripped,
        "Tag": "",
        "Headers": headers,
        "Attachments": [],
    }


def delivery(
    *, message_id: str, recipient: str, metadata: dict[str, str] | None = None
) -> dict[str, Any]:
    return {
        "RecordType": "Delivery",
        "ServerID": 23,
        "MessageStream": "outbound",
        "MessageID": message_id,
        "Recipient": recipient,
        "Tag": "service",
        "DeliveredAt": "2026-11-27T12:01:54.9070259Z",
        "Details": "smtp;250 2.0.0 OK",
        "Metadata": metadata or {},
    }


def bounce(
    *,
    message_id: str,
    email: str,
    kind: str = "HardBounce",
    bounce_id: int = 4323372036854775807,
) -> dict[str, Any]:
    return {
        "RecordType": "Bounce",
        "MessageStream": "outbound",
        "ID": bounce_id,
        "Type": kind,
        "TypeCode": 1 if kind == "HardBounce" else 4096,
        "Name": "Hard bounce" if kind == "HardBounce" else "Soft bounce",
        "Tag": "service",
        "MessageID": message_id,
        "Metadata": {},
        "ServerID": 23,
        "Description": "The server was unable to deliver your message (ex: unknown user, "
        "mailbox not found).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": email,
        "From": "hello@alphadental.example",
        "BouncedAt": "2026-11-27T12:02:54.9070259Z",
        "DumpAvailable": True,
        "Inactive": kind == "HardBounce",
        "CanActivate": True,
        "Subject": "Your appointment",
        "Content": "<Full dump of bounce>",
    }


def spam_complaint(*, message_id: str, email: str) -> dict[str, Any]:
    return {
        "RecordType": "SpamComplaint",
        "MessageStream": "broadcast",
        "ID": 42,
        "Type": "SpamComplaint",
        "TypeCode": 512,
        "Name": "Spam complaint",
        "Tag": "marketing",
        "MessageID": message_id,
        "Metadata": {},
        "ServerID": 23,
        "Description": "",
        "Details": "Test spam complaint details",
        "Email": email,
        "From": "hello@alphadental.example",
        "BouncedAt": "2026-11-27T12:03:54.9070259Z",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": False,
        "Subject": "Winter offer",
        "Content": "<Abuse report dump>",
    }


def opened(*, message_id: str, recipient: str) -> dict[str, Any]:
    return {
        "RecordType": "Open",
        "MessageStream": "outbound",
        "FirstOpen": True,
        "Client": {"Name": "Gmail", "Company": "Google", "Family": "Gmail"},
        "OS": {"Name": "unknown", "Company": "unknown", "Family": "unknown"},
        "Platform": "WebMail",
        "UserAgent": "Mozilla/5.0",
        "Geo": {},
        "MessageID": message_id,
        "Metadata": {},
        "ReceivedAt": "2026-11-27T12:04:54.9070259Z",
        "Tag": "service",
        "Recipient": recipient,
    }
