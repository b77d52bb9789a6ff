// The hub's live updates and charts. Server-driven: the page refreshes when the server pushes an analysis
// (SignalR), never on a client timer. Libraries come from wwwroot/lib (npm at build time, no CDN).
(() => {
  'use strict';

  // The dark theme's text and axes, shared by every chart (declared first: the charts are drawn as the page loads).
  const text = { color: '#c9d1d9' };
  const axis = { axisLine: { lineStyle: { color: '#56606b' } }, splitLine: { lineStyle: { color: '#222a33' } }, axisLabel: text };

  // Tab lists (the symbol page's modes): the arrow keys, Home and End move between tabs, as the ARIA tabs pattern has it.
  document.querySelectorAll('[role="tablist"]').forEach(list => {
    list.addEventListener('keydown', event => {
      const tabs = [...list.querySelectorAll('[role="tab"]')];
      const at = tabs.indexOf(document.activeElement);
      if (at < 0) {
        return;
      }
      const next = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) {
        return;
      }
      event.preventDefault();
      tabs[(next + tabs.length) % tabs.length].focus();
    });
  });

  /** Pushes received, for people debugging and for the browser tests: {symbol, asOf, at}. */
  const updates = [];
  window.huihuiUpdates = updates;

  // A grid refreshed on every push the overview group hears: the watch list, the ideas' record.
  const grid = document.querySelector('[data-live-grid]');
  const panels = document.getElementById('symbol-panels');
  const live = grid || panels;

  if (panels) {
    drawCharts();
  }
  drawScorecards();
  drawEquity();
  drawHeatmap();
  drawLevels();
  if (!live || typeof signalR === 'undefined') {
    return;
  }

  const symbol = panels ? panels.dataset.symbol : null;

  // Coalesce: one push per symbol per cycle arrives in a burst; fetch once, and once more if pushes came meanwhile.
  let fetching = false;
  let dirty = false;
  async function refresh() {
    if (fetching) {
      dirty = true;
      return;
    }
    fetching = true;
    try {
      do {
        dirty = false;
        const url = grid ? grid.dataset.liveGrid : panels.dataset.livePanels;
        const response = await fetch(url, { headers: { 'X-Requested-With': 'XMLHttpRequest' }, credentials: 'same-origin' });
        if (response.status === 401) {
          window.location.reload(); // the login expired: the server sends the login page
          return;
        }
        if (response.ok) {
          disposeCharts();
          live.innerHTML = await response.text();
          if (panels) {
            drawCharts();
          }
          drawEquity();
          drawHeatmap();
          drawLevels();
          live.dataset.refreshedAt = String(Date.now());
        }
      } while (dirty);
    } catch (error) {
      console.warn('HuiHui: refresh failed', error);
    } finally {
      fetching = false;
    }
  }

  // The heatmap's replay: the slider picks one of the day's archived chains (its last step is live); Play walks the day.
  const frame = document.getElementById('heatmap-frame');
  if (frame && grid) {
    const times = JSON.parse(frame.dataset.times);
    const label = document.getElementById('heatmap-frame-time');
    const play = document.getElementById('heatmap-play');
    let timer = null;
    const show = () => {
      const i = Number(frame.value);
      label.textContent = i < times.length ? `${times[i].substring(11, 16)} UTC` : 'live';
      frame.setAttribute('aria-valuetext', label.textContent);
    };
    const load = () => {
      const i = Number(frame.value);
      grid.dataset.liveGrid = i < times.length ? `${frame.dataset.gridBase}&at=${encodeURIComponent(times[i])}` : frame.dataset.gridBase;
      const address = new URL(window.location.href);
      if (i < times.length) {
        address.searchParams.set('At', times[i]);
      } else {
        address.searchParams.delete('At');
      }
      history.replaceState(null, '', address);
      return refresh();
    };
    const stop = () => {
      clearInterval(timer);
      timer = null;
      play.textContent = 'Play';
    };
    frame.addEventListener('input', show);
    frame.addEventListener('change', () => {
      stop();
      load();
    });
    play.addEventListener('click', () => {
      if (timer) {
        stop();
        return;
      }
      if (Number(frame.value) >= times.length) {
        frame.value = '0';
      }
      play.textContent = 'Pause';
      show();
      load();
      timer = setInterval(() => {
        if (Number(frame.value) >= times.length) {
          stop();
          return;
        }
        frame.value = String(Number(frame.value) + 1);
        show();
        load();
      }, 1500);
    });
    show();
  }

  const connection = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/analysis')
    // Never give up: back off to 30 s between attempts while the server is away.
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(30000, 1000 * 2 ** Math.min(ctx.previousRetryCount, 5)) })
    .build();

  connection.on('analysisCompleted', push => {
    updates.push({ symbol: push.symbol, asOf: push.asOf, at: Date.now() });
    refresh();
  });

  // A market alert the user subscribed to: shown at once at the top of the page, newest first (at most ten).
  connection.on('marketAlert', alert => {
    updates.push({ alert: alert.id, symbol: alert.symbol, kind: alert.kind, at: Date.now() });
    const list = document.getElementById('market-alerts');
    if (!list) {
      return;
    }
    const item = document.createElement('li');
    item.dataset.kind = alert.kind;
    item.dataset.alertId = String(alert.id);
    const time = new Date(alert.asOf).toISOString().substring(11, 19);
    const link = document.createElement('a');
    link.href = `/Symbol/${encodeURIComponent(alert.symbol)}`;
    link.textContent = alert.message;
    item.append(`${time} UTC · `, link);
    list.prepend(item);
    while (list.children.length > 10) {
      list.lastElementChild.remove();
    }
    list.hidden = false;
  });

  // The Backtests page hears its job's progress and end, nothing else.
  connection.on('backtestUpdated', push => {
    updates.push({ backtest: push.id, status: push.status, snapshots: push.snapshots, at: Date.now() });
    refresh();
  });

  function join() {
    if (grid && grid.dataset.liveGroup === 'backtests') {
      return connection.invoke('WatchBacktests');
    }
    return symbol ? connection.invoke('WatchSymbol', symbol) : connection.invoke('WatchOverview');
  }

  function setState(state) {
    document.body.dataset.live = state;
  }

  connection.onreconnecting(() => setState('reconnecting'));
  connection.onreconnected(async () => {
    setState('connected');
    await join();
    await refresh(); // catch up on what was missed while away
  });
  connection.onclose(() => {
    setState('disconnected');
    setTimeout(start, 5000);
  });

  async function start() {
    try {
      await connection.start();
      await join();
      setState('connected');
    } catch (error) {
      setState('disconnected');
      setTimeout(start, 5000);
    }
  }

  start();

  // ---------------------------------------------------------------- charts


  function disposeCharts() {
    if (typeof echarts === 'undefined') {
      return;
    }
    document.querySelectorAll('.chart').forEach(element => echarts.getInstanceByDom(element)?.dispose());
  }

  function drawCharts() {
    const source = document.getElementById('symbol-charts');
    if (!source || typeof echarts === 'undefined') {
      return;
    }
    const data = JSON.parse(source.textContent);
    if (!data) {
      return;
    }

    const levelLines = [
      ['spot', data.spot, '#4fb3ff'],
      ['zero γ', data.zeroGamma, '#f5c451'],
      ['call wall', data.callWall, '#3ecf8e'],
      ['put wall', data.putWall, '#ff7b72'],
    ].filter(([, value]) => value !== null && value !== undefined)
      // Levels often sit within a strike of each other: stagger the labels so they stay readable.
      .map(([name, value, color], index) => ({
        name, xAxis: value, lineStyle: { color, type: name === 'spot' ? 'solid' : 'dashed' },
        label: { formatter: `${name} ${value.toFixed(2)}`, color, position: ['end', 'insideEndTop', 'insideMiddleTop', 'insideStartTop'][index % 4] },
      }));

    const gex = document.getElementById('gex-chart');
    if (gex) {
      const chart = echarts.init(gex, null, { renderer: 'svg' });
      chart.setOption({
        animation: false,
        textStyle: text,
        legend: { top: 0, right: 10, textStyle: text },
        tooltip: { trigger: 'axis', valueFormatter: v => `${(v / 1e6).toFixed(1)} M$` },
        grid: { left: 70, right: 40, top: 50, bottom: 40 },
        xAxis: { type: 'value', name: 'strike', min: 'dataMin', max: 'dataMax', ...axis },
        yAxis: { type: 'value', name: 'GEX $/1%', ...axis, axisLabel: { ...text, formatter: v => `${(v / 1e6).toFixed(0)}M` } },
        series: [
          { name: 'call GEX', type: 'bar', stack: 'gex', barMaxWidth: 12, itemStyle: { color: '#3ecf8e' }, data: data.gex.map(g => [g[0], g[2]]),
            markLine: { symbol: 'none', data: levelLines } },
          { name: 'put GEX', type: 'bar', stack: 'gex', barMaxWidth: 12, itemStyle: { color: '#ff7b72' }, data: data.gex.map(g => [g[0], g[3]]) },
        ],
      });
    }

    const smile = document.getElementById('smile-chart');
    if (smile) {
      const chart = echarts.init(smile, null, { renderer: 'svg' });
      chart.setOption({
        animation: false,
        textStyle: text,
        title: { text: 'IV smile', textStyle: { ...text, fontSize: 13 } },
        legend: { top: 22, textStyle: text },
        tooltip: { trigger: 'axis', valueFormatter: v => `${(v * 100).toFixed(1)}%` },
        grid: { left: 50, right: 20, top: 60, bottom: 30 },
        xAxis: { type: 'value', name: 'strike', min: 'dataMin', max: 'dataMax', ...axis },
        yAxis: { type: 'value', ...axis, min: 'dataMin', axisLabel: { ...text, formatter: v => `${(v * 100).toFixed(0)}%` } },
        series: data.smile.map((curve, index) => ({
          name: curve.expiry, type: 'line', showSymbol: false, data: curve.points,
          markLine: index === 0 ? { symbol: 'none', data: levelLines.filter(l => l.name === 'spot') } : undefined,
        })),
      });
    }

    const term = document.getElementById('term-chart');
    if (term) {
      const chart = echarts.init(term, null, { renderer: 'svg' });
      chart.setOption({
        animation: false,
        textStyle: text,
        title: { text: 'ATM term structure', textStyle: { ...text, fontSize: 13 } },
        tooltip: { trigger: 'axis', valueFormatter: v => `${(v * 100).toFixed(1)}%` },
        grid: { left: 50, right: 20, top: 40, bottom: 30 },
        xAxis: { type: 'value', name: 'days', ...axis },
        yAxis: { type: 'value', ...axis, min: 'dataMin', axisLabel: { ...text, formatter: v => `${(v * 100).toFixed(1)}%` } },
        series: [{ name: 'ATM IV', type: 'line', data: data.term.map(t => [t.days, t.iv]) }],
      });
    }

    const compass = document.getElementById('compass-chart');
    if (compass && data.compass) {
      const c = data.compass;
      const shape = values => values.map(v => (v === null || v === undefined ? 0 : v));
      echarts.init(compass, null, { renderer: 'svg' }).setOption({
        animation: false,
        textStyle: text,
        legend: { top: 0, textStyle: text, data: ['now', 'previous'] },
        tooltip: { trigger: 'item' },
        radar: {
          radius: '62%', center: ['50%', '56%'], splitNumber: 4, axisName: { color: text.color, fontSize: 11 },
          indicator: c.axes.map(name => ({ name, min: -1, max: 1 })),
          splitLine: { lineStyle: { color: '#30363d' } }, splitArea: { show: false }, axisLine: { lineStyle: { color: '#30363d' } },
        },
        series: [{
          type: 'radar', symbolSize: 4,
          data: [
            { name: 'previous', value: shape(c.previous), lineStyle: { color: '#8b949e', type: 'dashed', opacity: 0.6 }, itemStyle: { color: '#8b949e', opacity: 0.6 }, areaStyle: { color: '#8b949e', opacity: 0.08 } },
            { name: 'now', value: shape(c.now), lineStyle: { color: '#4fb3ff', width: 2 }, itemStyle: { color: '#4fb3ff' }, areaStyle: { color: '#4fb3ff', opacity: 0.2 } },
          ],
        }],
      });
    }
  }

  /** The day's price with the named levels as they moved (steps: a level holds until the next analysis names another). */
  function drawLevels() {
    const source = document.getElementById('levels-data');
    const element = document.getElementById('levels-chart');
    if (!source || !element || typeof echarts === 'undefined') {
      return;
    }
    const data = JSON.parse(source.textContent);
    if (!data) {
      return;
    }
    const level = (name, points, color, type) => ({ name, type: 'line', step: 'end', showSymbol: false, connectNulls: false, data: points, lineStyle: { color, type, width: 1.5 }, itemStyle: { color } });
    // The net gamma band: one rectangle per archived chain and strike, diverging around zero, behind the lines.
    const band = data.band || [];
    const extent = Math.max(1, ...band.map(c => Math.abs(c[4])));
    const money = v => Math.abs(v) >= 1e9 ? `${(v / 1e9).toFixed(2)} B$` : `${(v / 1e6).toFixed(1)} M$`;
    const bandSeries = band.length === 0 ? [] : [{
      name: 'net gamma', type: 'custom', z: 1, itemStyle: { color: '#1f5a40' }, encode: { x: [0, 1], y: [2, 3] }, data: band,
      renderItem: (params, api) => {
        const from = api.coord([api.value(0), api.value(3)]);
        const to = api.coord([api.value(1), api.value(2)]);
        const shape = echarts.graphic.clipRectByRect({ x: from[0], y: from[1], width: to[0] - from[0], height: to[1] - from[1] },
          { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height });
        return shape && { type: 'rect', shape, style: { fill: api.visual('color') } };
      },
    }];
    echarts.getInstanceByDom(element)?.dispose();
    echarts.init(element, null, { renderer: 'svg' }).setOption({
      animation: false,
      textStyle: text,
      legend: { top: 0, textStyle: text },
      tooltip: { trigger: 'axis' },
      grid: { left: 60, right: 20, top: 40, bottom: band.length ? 70 : 30 },
      xAxis: { type: 'time', ...axis },
      yAxis: { type: 'value', scale: true, ...axis },
      visualMap: band.length === 0 ? undefined : { seriesIndex: 0, dimension: 4, min: -extent, max: extent, orient: 'horizontal', left: 'center', bottom: 0,
        calculable: true, textStyle: text, formatter: money, inRange: { color: ['#5c2b2e', '#161b22', '#1f5a40'] } },
      series: [
        ...bandSeries,
        { name: 'price', type: 'line', showSymbol: false, data: data.price, lineStyle: { color: '#4fb3ff', width: 2 }, itemStyle: { color: '#4fb3ff' } },
        level('zero gamma', data.zeroGamma, '#f5c451', 'solid'),
        level('call wall', data.callWall, '#3ecf8e', 'dashed'),
        level('put wall', data.putWall, '#ff7b72', 'dashed'),
        level('max pain', data.maxPain, '#8b949e', 'dotted'),
        level('hedge wall', data.hedgeWall, '#c297ff', 'dotted'),
      ],
    });
  }

  /** Exposure by strike (x) and expiry (y), diverging around zero, with spot's strike marked. */
  function drawHeatmap() {
    const source = document.getElementById('heatmap-data');
    const element = document.getElementById('heatmap-chart');
    if (!source || !element || typeof echarts === 'undefined') {
      return;
    }
    const data = JSON.parse(source.textContent);
    if (!data) {
      return;
    }
    const extent = Math.max(data.kind === 'ivsdh' || data.kind === 'ugch' ? 0.01 : 1, ...data.cells.map(c => Math.abs(c[2])));
    const format = v => Math.abs(v) >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : Math.abs(v) >= 1e3 ? `${(v / 1e3).toFixed(1)}k` : Math.abs(v) >= 10 ? v.toFixed(0) : v.toFixed(2);
    echarts.getInstanceByDom(element)?.dispose();
    echarts.init(element, null, { renderer: 'svg' }).setOption({
      animation: false,
      textStyle: text,
      tooltip: { formatter: p => `${data.expiries[p.value[1]]} · strike ${data.strikes[p.value[0]]}: ${format(p.value[2])}` },
      grid: { left: 90, right: 30, top: 20, bottom: 90 },
      xAxis: { type: 'category', data: data.strikes, name: 'strike', ...axis },
      yAxis: { type: 'category', data: data.expiries, ...axis },
      visualMap: { min: -extent, max: extent, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, textStyle: text,
        inRange: { color: ['#ff7b72', '#161b22', '#3ecf8e'] }, formatter: format },
      series: [{
        name: `${data.kind} exposure`, type: 'heatmap', data: data.cells,
        markLine: data.spotIndex < 0 ? undefined : { symbol: 'none', silent: true, lineStyle: { color: '#4fb3ff', type: 'solid', width: 2 },
          label: { formatter: `spot ${data.spot.toFixed(2)}`, color: '#4fb3ff' }, data: [{ xAxis: data.spotIndex }] },
      }],
    });
  }

  /** A backtest's cumulative P&L as its ideas close, with the drawdown from the peak below zero. */
  function drawEquity() {
    const source = document.getElementById('backtest-equity-data');
    const element = document.getElementById('equity-chart');
    if (!source || !element || typeof echarts === 'undefined') {
      return;
    }
    const points = JSON.parse(source.textContent);
    echarts.getInstanceByDom(element)?.dispose();
    echarts.init(element, null, { renderer: 'svg' }).setOption({
      animation: false,
      textStyle: text,
      title: { text: 'Equity (P&L per unit) and drawdown', textStyle: { ...text, fontSize: 13 } },
      legend: { top: 22, textStyle: text },
      tooltip: { trigger: 'axis' },
      grid: { left: 60, right: 20, top: 60, bottom: 30 },
      xAxis: { type: 'time', ...axis },
      yAxis: { type: 'value', ...axis },
      series: [
        { name: 'cumulative P&L', type: 'line', step: 'end', showSymbol: false, data: points.map(p => [p[0], p[1]]), lineStyle: { color: '#4fb3ff' } },
        { name: 'drawdown', type: 'line', step: 'end', showSymbol: false, data: points.map(p => [p[0], p[2]]), areaStyle: { color: 'rgba(255,123,114,0.25)' }, lineStyle: { color: '#ff7b72' } },
      ],
    });
  }

  function drawScorecards() {
    const source = document.getElementById('scorecard-history');
    const element = document.getElementById('scorecard-chart');
    if (!source || !element || typeof echarts === 'undefined') {
      return;
    }
    const rows = JSON.parse(source.textContent);
    const days = [...new Set(rows.map(r => r.day))];
    const experts = [...new Set(rows.map(r => r.expert))];
    echarts.init(element, null, { renderer: 'svg' }).setOption({
      animation: false,
      textStyle: text,
      title: { text: 'Daily hit rate', textStyle: { ...text, fontSize: 13 } },
      legend: { top: 20, textStyle: text },
      tooltip: { trigger: 'axis', valueFormatter: v => `${(v * 100).toFixed(1)}%` },
      grid: { left: 50, right: 20, top: 60, bottom: 30 },
      xAxis: { type: 'category', data: days, ...axis },
      yAxis: { type: 'value', min: 0, max: 1, ...axis, axisLabel: { ...text, formatter: v => `${(v * 100).toFixed(0)}%` } },
      series: experts.map(expert => ({
        name: expert, type: 'line', connectNulls: true,
        data: days.map(day => rows.find(r => r.day === day && r.expert === expert)?.hitRate ?? null),
        markLine: expert === experts[0] ? { symbol: 'none', data: [{ yAxis: 0.5, name: 'coin flip', lineStyle: { color: '#56606b', type: 'dashed' } }] } : undefined,
      })),
    });
  }

  window.addEventListener('resize', () => {
    document.querySelectorAll('.chart').forEach(element => echarts.getInstanceByDom(element)?.resize());
  });
})();
