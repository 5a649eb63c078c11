// Seed for fuzz_links and fuzz_analysis: functions set on members (chained), a member patched
// inside a function, destructuring a returned object and a dynamic import's default.
'use strict';

var res = Object.create(null);
var req = {};

res.set = res.header = function header(field, val) {
  this.headers = this.headers || {};
  this.headers[field] = val;
  return this;
};

req.get = req.header = function (name) {
  return this.headers && this.headers[name.toLowerCase()];
};

function makeClient(base) {
  const get = (path) => fetch(base + path);
  const post = (path, body) => fetch(base + path, { method: 'POST', body });
  return { get, post };
}

async function customFetch(input) {
  const response = await fetch(input);
  response.text = async () => 'patched';
  return response.text();
}

async function main() {
  const { get, post } = makeClient('http://localhost');
  await get('/a');
  await post('/b', '{}');
  const helper = (await import('./exports.js')).default;
  res.set('x', 1).header('y', 2);
  req.get('x');
  return helper && customFetch('/c');
}

module.exports = { main, makeClient };
