import { eagerOnlineFit, nnOnlineFit, w2Setup } from '../src/w2-online-fit.js';
const setup = w2Setup(200_000);
const which = process.argv[2];
for (let r = 0; r < 15; r++) { const s = performance.now(); (which === 'nn' ? nnOnlineFit : eagerOnlineFit)(setup); if (r > 10) console.log((performance.now() - s).toFixed(1)); }
