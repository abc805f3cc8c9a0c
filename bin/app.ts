import { buildParleyApp } from '../lib/parley-app';

buildParleyApp().synth();
