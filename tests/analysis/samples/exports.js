// fuzz seed for the link info's default exports and whole-module imports (tests/fuzz/fuzz_links.c)
import mk from './make.js';
import {other} from './make.js';
var express = require('..');
exports = module.exports = createApplication;
function createApplication() { return mk() + other() + express(); }
class Gadget { #hidden() { return 1; } paint() { return this.#hidden(); } }
export default function make() { return new Gadget().paint(); }
