"""A composed message as an email: plain text plus a simple HTML part, absolute links."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from markupsafe import Markup, escape

from app.core.i18n import direction
from app.notifications.messages import Message, footer


def absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def build(
    message: Message, *, lang: str, recipient: str, sender: str, base_url: str
) -> EmailMessage:
    link = absolute(base_url, message.link)
    closing = footer(lang, absolute(base_url, "/notifications"), absolute(base_url, "/account"))
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = sender
    email["To"] = recipient
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain="uprtc")
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies, please
    email.set_content(_text(message, link, closing, base_url))
    email.add_alternative(_html(message, link, closing, lang, base_url), subtype="html")
    email["Content-Language"] = lang  # after the content: setting it clears Content-* headers
    return email


def _text(message: Message, link: str, closing: list[str], base_url: str) -> str:
    parts = list(message.paragraphs)
    for section in message.sections:
        lines = [section.heading]
        lines += [f"- {text}: {absolute(base_url, path)}" for text, path in section.items]
        if section.more:
            lines.append(f"- {section.more}")
        parts.append("\n".join(lines))
    parts.append(f"{message.action}: {link}")
    parts.append("-- \n" + "\n".join(closing))
    return "\n\n".join(parts) + "\n"


def _html(message: Message, link: str, closing: list[str], lang: str, base_url: str) -> str:
    body = [Markup("<p>{}</p>").format(p) for p in message.paragraphs]
    for section in message.sections:
        items = [
            Markup('<li><a href="{}">{}</a></li>').format(absolute(base_url, path), text)
            for text, path in section.items
        ]
        if section.more:
            items.append(Markup("<li>{}</li>").format(section.more))
        body.append(
            Markup("<h2>{}</h2><ul>{}</ul>").format(section.heading, Markup("").join(items))
        )
    body.append(Markup('<p><a href="{}">{}</a></p>').format(link, message.action))
    small = Markup('<p style="color:#555;font-size:small">{}</p>')
    body += [small.format(line) for line in closing]
    return str(
        Markup(
            '<!doctype html><html lang="{}" dir="{}"><head><meta charset="utf-8"><title>{}</title>'
            '</head><body style="font-family:sans-serif;max-width:40em">{}</body></html>'
        ).format(lang, direction(lang), escape(message.subject), Markup("\n").join(body))
    )
