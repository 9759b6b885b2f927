import { render } from 'preact';
import { App } from './app';
import './styles.css';
import { startTheme } from './theme';

startTheme();

render(<App />, document.getElementById('app')!);
