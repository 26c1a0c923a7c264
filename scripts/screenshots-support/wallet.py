"""Screenshots of the loyalty wallet at phone width, one browser per language.

Usage: wallet.py OUT_DIR LANG=SCAN_URL,SCAN_URL ...
For each language: claims the points of two genuine first scans (waiting out
the demo brand's gap between claims), shoots the wallet, redeems the first
reward it can afford and shoots the voucher. Prints each voucher's code.
"""
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

out = sys.argv[1]
GAP_SECONDS = 11  # the demo brand's gap between two claims of one wallet, and a second more


def browser():
    options = Options()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"):
        options.add_argument(flag)
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 1}})
    options.add_argument("--window-size=500,844")
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def shoot(driver, name):
    path = f"{out}/{name}.png"
    driver.save_screenshot(path)
    print(path, file=sys.stderr)


for argument in sys.argv[2:]:
    language, urls = argument.split("=", 1)
    driver = browser()
    try:
        for index, url in enumerate(urls.split(",")):
            if index:
                time.sleep(GAP_SECONDS)
            driver.get(f"{url}&lang={language}")
            driver.find_element(By.CSS_SELECTOR, "form[action='/wallet/claim'] button").click()
            WebDriverWait(driver, 10).until(lambda d: "/wallet" in d.current_url)
        shoot(driver, f"wallet-{language}")
        driver.find_element(By.CSS_SELECTOR, "form[action='/wallet/redeem'] button").click()
        WebDriverWait(driver, 10).until(lambda d: "/wallet/vouchers/" in d.current_url)
        shoot(driver, f"voucher-{language}")
        print(driver.find_element(By.CSS_SELECTOR, ".voucher__code code").text)
    finally:
        driver.quit()
