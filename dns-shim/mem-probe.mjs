const what = process.argv[2];
if (what) await import(what);
global.gc?.();
await new Promise(r => setTimeout(r, 300));
const m = process.memoryUsage();
console.log(what ?? 'bare', 'rss', (m.rss/1048576).toFixed(1), 'heapUsed', (m.heapUsed/1048576).toFixed(1), 'heapTotal', (m.heapTotal/1048576).toFixed(1), 'ext', (m.external/1048576).toFixed(1));
