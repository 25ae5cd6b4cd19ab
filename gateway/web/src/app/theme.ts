import type { ThemeConfig } from 'antd';

/** Colours chosen for contrast (WCAG AA on white) — axe-core checks it on every screen. */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#0b5cab',
    colorLink: '#0b5cab',
    colorError: '#b42318',
    colorTextDescription: '#595959',
    colorTextTertiary: '#595959',
    colorTextPlaceholder: '#6b6b6b',
    borderRadius: 6,
    fontFamily: '"Noto Sans", "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  },
};
