import { render } from 'preact';

function Popup() {
  return <main>Storewatch</main>;
}

const root = document.getElementById('app');
if (root) render(<Popup />, root);
