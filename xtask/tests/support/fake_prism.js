#!/usr/bin/env node
// A stand-in for Prism (`XTASK_CONTRACT_PRISM`) that fails as Prism does,
// on cue, by the request's path: `/die` ends node with an exception's
// stack on stderr, `/internal` answers the problem Prism makes of an
// exception it caught, `/hang` never answers, `/heap…` accepts the request
// and runs out of heap generating the answer unless asked for the static
// one (`Prefer: dynamic=false`); anything else gets `["ok"]`.
// Run as Prism is: `mock --dynamic --seed N --host H --port P SPEC`.
const http = require("http");

const args = process.argv.slice(2);
const option = (name) => args[args.indexOf(name) + 1];

const server = http.createServer((request, reply) => {
  const path = new URL(request.url, "http://fake").pathname;
  console.log(`request ${request.method} ${path}`);
  if (path === "/die") {
    console.error("TypeError: fake crash (reading 'split')");
    console.error("    at deserializeArray (/x/node_modules/fake/simple.js:20:38)");
    process.exit(1);
  }
  if (path === "/internal") {
    console.log("Request terminated with error: RangeError: Maximum call stack size exceeded");
    reply.writeHead(500, { "content-type": "application/problem+json" });
    reply.end(JSON.stringify({ type: "RangeError", title: "Maximum call stack size exceeded", status: 500, detail: "" }));
    return;
  }
  if (path.startsWith("/heap") && request.headers["prefer"] !== "dynamic=false") {
    console.log("The request passed the validation rules. Looking for the best response");
    console.error("FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory");
    process.exit(134);
  }
  if (path === "/hang") {
    return;
  }
  reply.writeHead(200, { "content-type": "application/json" });
  reply.end('["ok"]');
});
server.listen(Number(option("--port")), option("--host"), () => {
  console.log("fake prism listening");
});
