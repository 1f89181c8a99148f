"""Opens an answer link in a real browser (Debian's chromium through chromedriver, driven by
Selenium) at a phone-sized viewport with JavaScript disabled, checks that the page is readable,
presses "Ik kan niet" and checks the confirmation. Prints one JSON object with what it saw and
saves screenshots next to the path given. Exit status 0 when everything held, 1 otherwise.

usage: browser_rsvp.py LINK SCREENSHOT.png
"""
import json
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def browser(javascript):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=390,844"]:
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(20)
    if javascript:
        # A phone: 390 CSS pixels wide (iPhone 12-15), mobile viewport rules. (Chromedriver reads
        # element texts with scripts, so the session without JavaScript keeps a plain narrow window.)
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True})
    return driver


def main():
    link, screenshot = sys.argv[1], sys.argv[2]
    seen = {}
    # Reading the layout needs a script; the answer itself is given with JavaScript off.
    driver = browser(javascript=True)
    try:
        driver.get(link)
        seen["lang"] = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
        seen["viewport_meta"] = bool(driver.find_elements(By.CSS_SELECTOR, "meta[name=viewport]"))
        seen["scroll_width"] = driver.execute_script("return document.documentElement.scrollWidth")
        seen["viewport_width"] = driver.execute_script("return window.innerWidth")
        seen["buttons"] = [button.text.strip() for button in driver.find_elements(By.TAG_NAME, "button")]
        seen["dutch"] = "Wanneer:" in driver.page_source
        driver.save_screenshot(screenshot.replace(".png", "-page.png"))
    finally:
        driver.quit()
    driver = browser(javascript=False)
    try:
        driver.get(link)
        decline = next(button for button in driver.find_elements(By.TAG_NAME, "button") if button.text.strip() == "Ik kan niet")
        decline.click()
        deadline = time.time() + 10
        while "Jammer dat u niet kunt" not in driver.page_source and time.time() < deadline:
            time.sleep(0.1)
        seen["confirmation"] = "Jammer dat u niet kunt" in driver.page_source
        driver.save_screenshot(screenshot)
    finally:
        driver.quit()
    ok = (seen.get("lang") == "nl" and seen.get("viewport_meta") and seen["scroll_width"] <= seen["viewport_width"]
          and "Ik kom" in seen["buttons"] and "Ik kan niet" in seen["buttons"] and seen["dutch"] and seen["confirmation"])
    print(json.dumps(seen))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
