import { w1Setup } from '../src/w1-micrograd-demo.js';
import { generateSource } from '../../../packages/core/src/compile/codegen.js';
import * as C from '@ag/core';
console.log(Object.keys(C).join(' '));
