// Test-only Appium plugin for onevoice's suite: with Appium's fake driver, a session shows saved
// screens (a screenshot and a UiAutomator2 page source each) and moves between them the way an app
// does: a tap on an element, a swipe, or back. The screens are described by a JSON file named in the
// capability `onevoice:screens`:
//   {"start": "home",
//    "screens": {"home": {"screenshot": "home.png", "source": "home.xml",
//                         "taps": {"Shop now": "offer"}, "swipes": {"up": "more"}}, ...}}
// A tap target is named by the element's resource-id, content-desc or text. Paths are relative to
// the JSON file. Locators work as UiAutomator2's do: `id` is the resource-id, `accessibility id`
// the content-desc. Everything else (sessions, element ids) is the fake driver's.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { BasePlugin } = require('@appium/base-plugin');
const { errors } = require('@appium/base-driver');
const xmldom = require('@xmldom/xmldom');
const xpath = require('xpath');

function literal(value) {
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  return `concat("${value.split('"').join(`", '"', "`)}")`;
}

class ScreensPlugin extends BasePlugin {
  async createSession(next, driver, ...args) {
    const result = await next();
    const w3c = args.find((arg) => arg && (arg.alwaysMatch || arg.firstMatch)) || {};
    const caps = { ...(w3c.alwaysMatch || {}), ...((w3c.firstMatch || [])[0] || {}) };
    const manifest = caps['onevoice:screens'];
    if (manifest) {
      this.folder = path.dirname(manifest);
      this.flow = JSON.parse(fs.readFileSync(manifest, 'utf8'));
      this.history = [];
    }
    return result;
  }

  // The session's own driver is first seen by the commands after createSession: the start screen is shown then.
  active(driver) {
    if (!this.flow) return false;
    if (this.current === undefined) this.show(driver, this.flow.start);
    return true;
  }

  show(driver, name) {
    const screen = this.flow.screens[name];
    if (!screen) throw new errors.UnknownError(`no screen '${name}' in the screens file`);
    this.current = name;
    this.source = fs.readFileSync(path.resolve(this.folder, screen.source), 'utf8');
    driver.appModel.rawXml = this.source;
    driver.appModel.dom = new xmldom.DOMParser().parseFromString(this.source, 'text/xml');
    driver.appModel.activeDom = driver.appModel.dom;
    driver.elMap = {};
  }

  go(driver, target) {
    if (!target) return;
    this.history.push(this.current);
    this.show(driver, target);
  }

  query(strategy, selector) {
    if (strategy === 'id') return `//*[@resource-id=${literal(selector)}]`;
    if (strategy === 'accessibility id') return `//*[@content-desc=${literal(selector)}]`;
    if (strategy === 'xpath') return selector;
    throw new errors.InvalidSelectorError(`the screens plugin finds by id, accessibility id or xpath, not ${strategy}`);
  }

  async findElement(next, driver, strategy, selector) {
    if (!this.active(driver)) return await next();
    return await driver.findElOrEls('xpath', this.query(strategy, selector), false);
  }

  async findElements(next, driver, strategy, selector) {
    if (!this.active(driver)) return await next();
    return await driver.findElOrEls('xpath', this.query(strategy, selector), true);
  }

  async click(next, driver, elementId) {
    if (!this.active(driver)) return await next();
    const node = driver.getElement(elementId).node;
    const taps = this.flow.screens[this.current].taps || {};
    const names = ['resource-id', 'content-desc', 'text'].map((name) => node.getAttribute(name)).filter(Boolean);
    this.go(driver, names.map((name) => taps[name]).find(Boolean));
  }

  async setValue(next, driver, keys, elementId) {
    if (!this.active(driver)) return await next();
    driver.getElement(elementId);  // a stale element is an error, as on a device
  }

  async back(next, driver) {
    if (!this.active(driver)) return await next();
    if (this.history.length) this.show(driver, this.history.pop());
  }

  async performActions(next, driver, actions) {
    if (!this.active(driver)) return await next();
    const moves = actions.flatMap((action) => action.actions || []).filter((item) => item.type === 'pointerMove');
    if (moves.length < 2) return;
    const dx = moves[moves.length - 1].x - moves[0].x;
    const dy = moves[moves.length - 1].y - moves[0].y;
    const direction = Math.abs(dx) > Math.abs(dy) ? (dx < 0 ? 'left' : 'right') : (dy < 0 ? 'up' : 'down');
    this.go(driver, (this.flow.screens[this.current].swipes || {})[direction]);
  }

  async getScreenshot(next, driver) {
    if (!this.active(driver)) return await next();
    const file = path.resolve(this.folder, this.flow.screens[this.current].screenshot);
    return fs.readFileSync(file).toString('base64');
  }

  async getWindowRect(next, driver) {
    if (!this.active(driver)) return await next();
    const png = fs.readFileSync(path.resolve(this.folder, this.flow.screens[this.current].screenshot));
    return { x: 0, y: 0, width: png.readUInt32BE(16), height: png.readUInt32BE(20) };  // the PNG header's size
  }

  async getPageSource(next, driver) {
    if (!this.active(driver)) return await next();
    return this.source;
  }
}

module.exports = { ScreensPlugin, default: ScreensPlugin };
