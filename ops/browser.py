"""A small HTTP client that behaves as a browser behind the TLS proxy: it keeps its cookies
(secure ones too, since the proxy in front speaks HTTPS), follows redirects, sends the
`X-Forwarded-Proto: https` the proxy adds and a same-origin Referer, and fills in forms from
the page it has, hidden fields and defaults included."""

import http.client
import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit


class Response:
    def __init__(self, status, headers, body, url):
        self.status = status
        self.headers = headers
        self.body = body
        self.text = body.decode("utf-8", errors="replace")
        self.url = url

    def __repr__(self):
        return f"<{self.status} {self.url}>"


class Browser:
    def __init__(self, base_url):
        self.base = base_url
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies = {}
        self.set_cookie_headers = []
        self.page = None

    def request(self, method, path, data=None, headers=None, follow=True):
        for _ in range(10):
            connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            sent = {
                "Host": f"{self.host}:{self.port}",
                "X-Forwarded-Proto": "https",
                "Referer": f"https://{self.host}:{self.port}{path}",
                **(headers or {}),
            }
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            body = None
            if data is not None:
                body = urlencode(data, doseq=True)
                sent["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    self.set_cookie_headers.append(value)
                    cookie, _, _ = value.partition(";")
                    key, _, val = cookie.partition("=")
                    if val in ("", '""'):
                        self.cookies.pop(key.strip(), None)
                    else:
                        self.cookies[key.strip()] = val
            connection.close()
            location = response.getheader("Location")
            if follow and response.status in (301, 302, 303) and location:
                target = urlsplit(urljoin(path, location))
                path = target.path + (f"?{target.query}" if target.query else "")
                method, data = "GET", None
                continue
            self.page = Response(response.status, dict(response.getheaders()), content, path)
            return self.page
        raise RuntimeError(f"too many redirects from {path}")

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def submit(self, values=None, form=None, headers=None):
        """Send a form of the current page (the one whose action contains `form`, else the
        first with a CSRF token) with its own values, changed by `values`."""
        # The header's sign-out form comes first on every page: skip it unless asked for.
        forms = [f for f in parse_forms(self.page.text) if "logout" not in f["action"]]
        chosen = [
            f
            for f in forms
            if f["csrf"] and (form is None or form in (f["action"] or self.page.url))
        ]
        if not chosen:
            raise RuntimeError(f"no form {form!r} on {self.page.url}")
        found = chosen[0]
        data = {**found["values"], **(values or {})}
        action = found["action"] or self.page.url
        return self.request(found["method"].upper(), urljoin(self.page.url, action), data, headers)


def option_value(html, name, label):
    """The value of the radio or option for field `name` whose label contains `label`."""
    for field_name, value, text in parse_choices(html):
        if field_name == name and label.lower() in text.lower():
            return value
    raise RuntimeError(f"no choice {label!r} for {name}")


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []
        self.choices = []
        self.labels = {}
        self.ids = {}
        self.select = None
        self.option = None
        self.textarea = None
        self.label_for = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "action": a.get("action", ""),
                    "method": a.get("method", "get"),
                    "values": {},
                    "csrf": False,
                }
            )
        if not self.forms:
            return
        values = self.forms[-1]["values"]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if a["name"] == "csrfmiddlewaretoken":
                self.forms[-1]["csrf"] = True
            if kind in ("radio", "checkbox"):
                self.ids[a.get("id", "")] = (a["name"], a.get("value", "on"))
                if "checked" in a:
                    values.setdefault(a["name"], []).append(a.get("value", "on"))
            elif kind not in ("submit", "button"):
                values[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select:
            self.option = [a.get("value", ""), ""]
            if "selected" in a:
                values[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = a.get("name")
            values[self.textarea] = ""
        elif tag == "label":
            self.label_for = [a.get("for", ""), ""]

    def handle_data(self, data):
        if self.option is not None:
            self.option[1] += data
        if self.textarea and self.forms:
            self.forms[-1]["values"][self.textarea] += data
        if self.label_for is not None:
            self.label_for[1] += data

    def handle_endtag(self, tag):
        if tag == "option" and self.option is not None:
            self.choices.append((self.select, self.option[0], self.option[1].strip()))
            self.option = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "label" and self.label_for is not None:
            target = self.ids.get(self.label_for[0])
            if target:
                self.choices.append((target[0], target[1], self.label_for[1].strip()))
            self.label_for = None


def _parse(html):
    parser = _FormParser()
    parser.feed(html)
    return parser


def parse_forms(html):
    return _parse(html).forms


def parse_choices(html):
    return _parse(html).choices


def text_of(html, element_id):
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)<', html, flags=re.DOTALL)
    return unescape(match.group(1)).strip() if match else None
