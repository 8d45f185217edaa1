"""A Playwright page that records what goes wrong, and the checks every public page gets."""

import re
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

# The narrowest phone in common use: what a first visitor found clipped was at 375 px.
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

# Hosts of the video services: nothing may reach them before the visitor clicks play.
VIDEO_HOST = re.compile(
    r"(^|\.)(youtube\.com|youtube-nocookie\.com|youtu\.be|ytimg\.com|googlevideo\.com"
    r"|vimeo\.com|vimeocdn\.com|tiktok\.com|tiktokcdn\.com|tiktokv\.com)$"
)

# Runs before any script of the page: CSP violations become visible to the test.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "(inline)"}`
    + ` in ${event.sourceFile || "?"}:${event.lineNumber || 0}`
    + (event.sample ? ` (${event.sample})` : "")
  );
});
"""

# Lazy pictures below the fold would never load in a test: load them all, then report
# the ones that did not arrive (broken or missing files).
LOAD_ALL_IMAGES = """
async () => {
  const images = Array.from(document.images);
  for (const image of images) {
    if (image.loading === "lazy") image.loading = "eager";
  }
  const settle = (image) => image.complete ? null : new Promise((done) => {
    image.addEventListener("load", done, { once: true });
    image.addEventListener("error", done, { once: true });
  });
  const timeout = new Promise((done) => setTimeout(done, 5000));
  await Promise.race([Promise.all(images.map(settle)), timeout]);
  return images
    .filter((image) => !(image.complete && image.naturalWidth > 0))
    .map((image) => image.currentSrc || image.getAttribute("src"));
}
"""

# Which elements stick out beyond the right edge, to say where a horizontal scroll
# comes from (the deepest ones first: those are the culprits, their parents follow).
OVERFLOW = """
() => {
  const width = window.innerWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth <= width) return null;
  const describe = (el) => el.tagName.toLowerCase()
    + (el.id ? "#" + el.id : "")
    + (typeof el.className === "string" && el.className.trim()
        ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  // An element sticks out with its box, or with content that overflows its box.
  const right = (el) => {
    const rect = el.getBoundingClientRect();
    const spills = el.scrollWidth > el.clientWidth + 1
      && getComputedStyle(el).overflowX === "visible";
    return Math.max(rect.right, spills ? rect.left + el.scrollWidth : 0);
  };
  const sticksOut = (el) => right(el) > width + 0.5;
  const wide = Array.from(document.querySelectorAll("body *"))
    .filter(sticksOut)
    .filter((el) => !Array.from(el.children).some(sticksOut));
  return {
    scrollWidth, width,
    elements: wide.slice(0, 8).map((el) => `${describe(el)} (to ${Math.round(right(el))}px)`),
  };
}
"""


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class PageWatch:
    """Records, per visit, console errors, script errors, CSP violations and bad requests.

    Requests to any other site are recorded and aborted: the test machines have no
    internet, and the public pages must not contact third parties on their own.
    """

    def __init__(self, page, base_url: str):
        self.page = page
        self.origin = origin(base_url)
        self.foreign_requests: list[str] = []
        self.console_errors: list[tuple[str, str]] = []
        self.page_errors: list[str] = []
        self.bad_responses: list[str] = []
        self.failed_requests: list[str] = []
        page.add_init_script(CSP_LISTENER)
        page.context.route(self._is_foreign, self._abort_foreign)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)

    def reset(self) -> None:
        for record in (
            self.foreign_requests,
            self.console_errors,
            self.page_errors,
            self.bad_responses,
            self.failed_requests,
        ):
            record.clear()

    def _is_foreign(self, url: str) -> bool:
        return url.startswith(("http:", "https:")) and origin(url) != self.origin

    def _abort_foreign(self, route) -> None:
        self.foreign_requests.append(route.request.url)
        route.abort()

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append((message.text, message.location.get("url", "")))

    def _on_response(self, response) -> None:
        request = response.request
        is_document = request.is_navigation_request() and request.frame == self.page.main_frame
        if response.status >= 400 and not is_document and not self._is_foreign(response.url):
            self.bad_responses.append(f"{response.status} {response.url}")

    def _on_request_failed(self, request) -> None:
        # A navigation cancels the requests of the page it leaves: that is no error.
        if not self._is_foreign(request.url) and request.failure != "net::ERR_ABORTED":
            self.failed_requests.append(f"{request.failure} {request.url}")

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations || []")

    def problems(self, *, document_status: int = 200) -> list[str]:
        """Everything that went wrong since the last ``reset()``, readable."""
        console = [
            text
            for text, url in self.console_errors
            # Chromium logs an error status of the document itself; the 404 and 500
            # pages are meant to have one.
            if not (
                document_status >= 400
                and text.startswith("Failed to load resource")
                and f"status of {document_status}" in text
                and url.split("#")[0] == self.page.url.split("#")[0]
            )
        ]
        return [
            *(f"console error: {text}" for text in console),
            *(f"script error: {text}" for text in self.page_errors),
            *(f"CSP violation: {text}" for text in self.csp_violations()),
            *(f"request to another site: {url}" for url in self.foreign_requests),
            *(f"failed request: {text}" for text in self.failed_requests),
            *(f"error response: {text}" for text in self.bad_responses),
        ]


def axe_problems(page) -> list[str]:
    """Every axe-core violation on the page, whatever its impact, one readable line each."""
    results = Axe().run(page)
    lines = []
    for violation in results.response["violations"]:
        lines.append(
            f"axe {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"][:5]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {target}: {node['html'][:160]} -> {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return lines


def check_page(
    watch: PageWatch, url: str, *, name: str, width: str, status: int = 200, h1: str | None = None
) -> list[str]:
    """Load ``url`` at one width and return every problem found on it, labelled."""
    page = watch.page
    page.set_viewport_size(WIDTHS[width])
    watch.reset()
    response = page.goto(url, wait_until="load")
    problems = []
    if response is None or response.status != status:
        problems.append(f"status {response and response.status}, expected {status}")

    headings = page.locator("h1")
    if headings.count() != 1:
        problems.append(f"{headings.count()} h1 elements, expected 1")
    elif not headings.first.is_visible() or not headings.first.inner_text().strip():
        problems.append("the h1 is not visible or empty")
    elif h1 is not None and h1 not in headings.first.inner_text():
        problems.append(f"h1 is {headings.first.inner_text()!r}, expected {h1!r}")

    for src in page.evaluate(LOAD_ALL_IMAGES):
        problems.append(f"image did not load: {src}")

    if width == "phone":
        overflow = page.evaluate(OVERFLOW)
        if overflow:
            problems.append(
                f"horizontal scroll: page is {overflow['scrollWidth']}px wide in a "
                f"{overflow['width']}px window; sticking out: {', '.join(overflow['elements'])}"
            )

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # JPEG: a tenth of the size of PNG and quicker to make; plenty to look at a layout.
    page.screenshot(
        path=SCREENSHOTS / f"{name}-{WIDTHS[width]['width']}.jpg",
        full_page=True,
        animations="disabled",
        quality=80,
    )
    # Read before axe runs: its own injected script must not count against the page.
    problems += watch.problems(document_status=status)
    problems += axe_problems(page)
    return [f"[{name} @ {width} {WIDTHS[width]['width']}px] {problem}" for problem in problems]
