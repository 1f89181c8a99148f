"""Opens an answer link in a real browser (Debian's chromium through chromedriver, driven by
Selenium) on a 390 px phone screen, checks that the page is readable and no wider than the
screen, answers "Ik kan niet" with JavaScript off (the link may already name that answer:
`?answer=decline` opens with the choice ready to confirm), checks the confirmation after the
redirect, and that a refresh shows it again without a second POST. With a mail file, its HTML part
must fit the same screen too. Prints one JSON object with what it saw and saves screenshots next to
the path given. Exit status 0 when everything held, 1 otherwise (an error is printed instead of
the JSON when the check could not finish).

usage: browser_rsvp.py LINK SCREENSHOT.png [MAIL.eml]
"""
import email
import email.policy
import json
import pathlib
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By

PHONE_WIDTH = 390


def browser(javascript):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={PHONE_WIDTH},844"]:
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    # On a loaded machine Chromium can miss chromedriver's start-up deadline ("DevToolsActivePort
    # file doesn't exist"): that is the machine, not the page, so starting is tried three times.
    for attempt in range(3):
        try:
            driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
            break
        except WebDriverException as error:
            if attempt == 2:
                raise
            print(f"chromium did not start ({error.msg}); trying again", file=sys.stderr)
            time.sleep(2)
    # Generous: CI runs this beside daemons sending thousands of messages on two cores.
    driver.set_page_load_timeout(60)
    if javascript:
        # A phone: 390 CSS pixels wide (iPhone 12-15), mobile viewport rules. (Chromedriver reads
        # element texts with scripts, so the session without JavaScript keeps a plain narrow window.)
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": PHONE_WIDTH, "height": 844, "deviceScaleFactor": 3, "mobile": True})
    return driver


def layout(driver):
    """Width of the page against the screen, and the buttons with whether they look disabled."""
    buttons = []
    for button in driver.find_elements(By.TAG_NAME, "button"):
        buttons.append({
            "text": button.text.strip(),
            "disabled": not button.is_enabled(),
            "background": driver.execute_script("return getComputedStyle(arguments[0]).backgroundColor", button),
        })
    return {
        "scroll_width": driver.execute_script("return document.documentElement.scrollWidth"),
        "viewport_width": driver.execute_script("return window.innerWidth"),
        "buttons": buttons,
    }


def wait_for(driver, text, seconds=30):
    deadline = time.time() + seconds
    while text not in driver.page_source and time.time() < deadline:
        time.sleep(0.1)
    return text in driver.page_source


def mail_html(path):
    """The text/html part of an .eml file, written to a temporary file for the browser."""
    with open(path, "rb") as handle:
        message = email.message_from_binary_file(handle, policy=email.policy.default)
    html = message.get_body(preferencelist=("html",)).get_content()
    target = pathlib.Path(tempfile.mkdtemp()) / "mail.html"
    target.write_text(html, encoding="utf-8")
    return target.as_uri(), html


def main():
    link, screenshot = sys.argv[1], sys.argv[2]
    mail = sys.argv[3] if len(sys.argv) > 3 else None
    seen = {}
    driver = browser(javascript=True)
    try:
        driver.get(link)
        seen["lang"] = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
        seen["viewport_meta"] = bool(driver.find_elements(By.CSS_SELECTOR, "meta[name=viewport]"))
        seen["dutch"] = "Wanneer:" in driver.page_source
        seen["page"] = layout(driver)
        driver.save_screenshot(screenshot.replace(".png", "-page.png"))
        if mail:
            uri, html = mail_html(mail)
            driver.get(uri)
            seen["mail"] = layout(driver)
            seen["mail"]["webcal"] = "webcal://" in html
            seen["mail"]["google"] = "https://calendar.google.com/calendar/r?cid=webcal" in html
            seen["mail"]["asks_once"] = html.count("Laat ons weten of u komt") == 1
            driver.save_screenshot(screenshot.replace(".png", "-mail.png"))
    finally:
        driver.quit()
    driver = browser(javascript=False)
    try:
        driver.get(link)
        decline = next(button for button in driver.find_elements(By.TAG_NAME, "button") if "kan niet" in button.text)
        seen["decline_button"] = decline.text.strip()
        decline.click()
        seen["confirmation"] = wait_for(driver, "Jammer dat u niet kunt")
        seen["after_redirect"] = driver.current_url
        driver.refresh()
        seen["confirmation_after_refresh"] = wait_for(driver, "Jammer dat u niet kunt")
        driver.save_screenshot(screenshot)
    finally:
        driver.quit()
    driver = browser(javascript=True)
    try:
        driver.get(seen["after_redirect"])
        seen["answered"] = layout(driver)
    finally:
        driver.quit()

    def fits(view):
        return view["scroll_width"] <= view["viewport_width"] <= PHONE_WIDTH

    disabled_look_disabled = all(
        button["background"] == "rgb(214, 214, 214)" for button in seen["answered"]["buttons"] if button["disabled"])
    ok = (seen.get("lang") == "nl" and seen.get("viewport_meta") and seen["dutch"] and fits(seen["page"])
          and any("kan niet" in button["text"] for button in seen["page"]["buttons"])
          and seen["confirmation"] and seen["confirmation_after_refresh"] and "answered=decline" in seen["after_redirect"]
          and fits(seen["answered"]) and disabled_look_disabled
          and (mail is None or (fits(seen["mail"]) and seen["mail"]["webcal"] and seen["mail"]["google"] and seen["mail"]["asks_once"])))
    print(json.dumps(seen))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    try:
        main()
    except Exception as error:
        # Printed where the test shows it: a timeout or a missing element says what went wrong.
        print(f"the browser check stopped: {type(error).__name__}: {error}")
        sys.exit(1)
