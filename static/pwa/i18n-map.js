// The words of the maps (inspector and desk), part of the one catalogue in i18n.js. Loaded with the
// map screens rather than precached with the inspector's shell; t() is unchanged.
import { addTexts } from './i18n.js';

const zh = {
  map_title: '地图',
  map_to_list: '列表',
  map_tiles_failed: '无法加载地图底图（离线或网络不通）。工地列表照常可用。',
  map_not_loaded: '地图打不开，请稍后重试。工地列表照常可用。',
  map_not_offline: '离线，地图还没有保存在手机上。工地列表照常可用。',
  map_start_inspection: '开始巡查',
  map_cached: '离线：显示 {time} 保存的工地位置。',
  map_count: '附近 {n} 个工地',
  map_me: '我的位置',
  map_grade_none: '未检',
  map_grade_other: '其他等级',
  map_suspended: '停工',
  map_stop_mark: '停',
  map_route: '今日路线：{n} 站 · 全程 {total}（按序号前往）',
};

const en = {
  map_title: 'Map',
  map_to_list: 'List',
  map_tiles_failed: 'Map tiles cannot be loaded (offline or no connection). The site list works as usual.',
  map_not_loaded: 'The map cannot open; try again later. The site list works as usual.',
  map_not_offline: 'Offline, and the map is not saved on this phone yet. The site list works as usual.',
  map_start_inspection: 'Start inspection',
  map_cached: 'Offline: site positions saved at {time}.',
  map_count: '{n} sites nearby',
  map_me: 'My position',
  map_grade_none: 'Not inspected',
  map_grade_other: 'Other grade',
  map_suspended: 'Work stopped',
  map_stop_mark: 'S',
  map_route: "Today's route: {n} stops · {total} in all (follow the numbers)",
};

addTexts({ 'zh-CN': zh, en });
