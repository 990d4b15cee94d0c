import { readFileSync } from 'node:fs';
import { launchBrowser } from '../test/helpers/browser';
const browser = await launchBrowser();
const page = await browser.newPage();
await page.route('http://micro.test/', (r) => r.fulfill({ contentType: 'text/html', body: '<input id=i><div id=d>x</div>' }));
await page.goto('http://micro.test/');
console.log(await page.evaluate(readFileSync(process.argv[2], 'utf8')));
await browser.close();
