import { Component, type ComponentChildren } from 'preact';

/**
 * Inside someone else's page a rendering bug must cost only our panel: it disappears, the page
 * carries on, and the error goes to the extension's console.
 */
export class ErrorBoundary extends Component<{ children: ComponentChildren; onError?: (error: unknown) => void }, { failed: boolean }> {
  override state = { failed: false };

  override componentDidCatch(error: unknown): void {
    this.setState({ failed: true });
    this.props.onError?.(error);
  }

  override render() {
    return this.state.failed ? null : this.props.children;
  }
}
