# ruff: noqa: E501 (the table reads best one concept per line)
"""The built-in topic vocabulary: synonyms across English, Chinese and Japanese.

Each line is ``concept < parent ...: form | form | ...``. A form is matched as a
phrase (English words are stemmed first, so plurals and -ing forms match; CJK
forms match as substrings). A form written ``=go`` only counts when it is a
whole tag or interest, because the bare word is too common in running text.
Parents are broader topics: a post about a child topic also counts, more
weakly, as being about the parent ("LLM" is a kind of "AI").

The user's ``contacts/aliases.yaml`` adds to this table; it never needs to
repeat what is here.
"""

from __future__ import annotations

LANGUAGE_NAMES = frozenset({
    "english-language", "chinese-language", "cantonese", "japanese-language",
    "korean-language", "french-language", "german-language", "spanish-language"})
"""Concepts that are names of languages. In prose notes they mostly say what someone
reads or speaks (which `languages` already records), not what they care about."""


def _section(title: str) -> frozenset[str]:
    """The concepts of one section of TABLE (below)."""
    body = TABLE.split(f"# --- {title}\n", 1)[1].split("\n# ---", 1)[0]
    return frozenset(line.split(":", 1)[0].split("<", 1)[0].strip()
                     for line in body.splitlines() if line.strip() and ":" in line)

TABLE = """
# --- programming languages and platforms
python: python | python3 | pythonic | django | flask | fastapi
java: java | java 17 | java 8 | openjdk | jdk
jvm < java: jvm | jvm tuning | garbage collection | gc pause | jvm调优 | 垃圾回收 | hotspot
kotlin < java: kotlin
golang: golang | =go | go语言 | go lang | go language
rust: rust | rustlang | cargo crate
cpp: c++ | cpp | =c | c语言
csharp: c# | dotnet | asp.net
javascript < frontend: javascript | typescript | ecmascript | =js | =ts
nodejs < backend: node.js | nodejs | =node | deno | bun runtime
php < backend: php | laravel
ruby < backend: ruby | rails | ruby on rails
swift-lang < ios: =swift | swift language | swift语言
swiftui < ios: swiftui | swift ui
ios < mobile: ios | iphone | ipad | xcode | uikit | objective-c | ios开发 | 苹果开发 | testflight
android < mobile: android | 安卓 | 安卓开发 | android开发 | aosp | android studio | アンドロイド
jetpack-compose < android: jetpack compose | compose ui
flutter < mobile: flutter | dart
react-native < mobile: react native
mobile: mobile | mobile app | mobile development | app development | 移动开发 | 移动端 | 手机应用 | 客户端开发 | モバイル | アプリ開発
miniprogram < wechat: 小程序 | mini program | mini-program | 微信小程序
frontend: frontend | front-end | 前端 | web development | web开发 | css | html | フロントエンド
react < frontend: react | reactjs | react.js | next.js | nextjs
vue < frontend: vue | vuejs | vue.js | nuxt
backend: backend | back-end | 后端 | 服务端 | 后台开发 | server-side | バックエンド
spring < java backend: =spring | spring framework | spring mvc
spring-boot < spring: spring boot | springboot
spring-cloud < spring microservices: spring cloud | springcloud
microservices < backend: microservice | micro-service | 微服务 | 微服务架构 | service mesh | 服务治理 | マイクロサービス
api-design < backend: api design | rest api | restful | graphql | 接口设计 | openapi
grpc < backend: grpc | protobuf | protocol buffers | rpc框架
webassembly: webassembly | wasm

# --- systems, infrastructure, operations
distributed-systems: distributed system | 分散式 | 分散式系统 | 分散式架构 | distributed computing | 分布式 | 分布式系统 | 分布式架构 | 分散システム
consensus < distributed-systems: consensus | consensus algorithm | 共识算法 | 一致性算法 | 一致性协议 | leader election | 选主
raft < consensus: raft | raft协议 | raft算法
paxos < consensus: paxos
etcd < distributed-systems: etcd | zookeeper | consul
high-concurrency < backend performance: high concurrency | 高并发 | 高并发系统 | 高可用 | high availability
concurrency: concurrency | concurrent programming | 并发 | 并发编程 | multithreading | 多线程 | async io | 协程 | coroutine
databases: database | 资料库 | index tuning | 索引 | database index | 数据库 | データベース | =sql | =db | dba
mysql < databases: mysql | mariadb
postgres < databases: postgres | postgresql | =pg
sqlite < databases: sqlite
redis < databases caching: redis
mongodb < databases: mongodb | mongo
caching: cache | caching | 缓存 | キャッシュ | cdn
message-queues < backend: kafka | consumer lag | 消费延迟 | 消息积压 | rabbitmq | rocketmq | message queue | 消息队列 | pulsar
storage: storage engine | 存储 | 存储引擎 | object storage | 对象存储
cloud: cloud computing | =cloud | 云计算 | 上云 | 云端 | 云服务 | cloud provider | クラウド
cloud-native < cloud: cloud native | 云原生 | cncf | クラウドネイティブ
containers < cloud-native: docker | container image | containerization | 容器 | 容器化 | コンテナ
kubernetes < cloud-native containers: kubernetes | k8s | kube | kubectl | helm | eks | gke | aks | 容器编排 | クバネティス
alibaba-cloud < cloud: alibaba cloud | aliyun | alicloud | 阿里云 | 阿里雲
aws < cloud: aws | amazon web services | 亚马逊云 | ec2 | s3 bucket | lambda function
gcp < cloud: google cloud | gcp
azure < cloud: azure
tencent-cloud < cloud: tencent cloud | 腾讯云
huawei-cloud < cloud: huawei cloud | 华为云
serverless < cloud: serverless | faas | 无服务器 | 函数计算
cloud-cost < cloud cost-reduction: finops | cloud cost | cloud bill | cloud spend | cloud spending | 云成本 | 云账单 | 云费用 | 云支出 | 云端成本 | 云上成本 | 上云成本 | 云计算成本 | クラウドコスト
cost-reduction: 降本增效 | 降本 | cost reduction | cost cutting | cut cost | cost saving | cost optimization | cost optimisation | 成本优化 | 节省成本 | 省成本 | コスト削減
devops: devops | ci/cd | continuous integration | continuous delivery | 持续集成 | 持续交付 | 运维 | 自动化运维 | infrastructure as code | terraform | ansible
sre < devops: sre | site reliability | site reliability engineering | 可靠性工程 | 稳定性保障 | on-call | oncall | incident response | 故障复盘 | 故障处理
observability < sre: observability | monitoring | 可观测性 | 监控 | 监控告警 | tracing | opentelemetry | grafana | 日志系统
prometheus < observability: prometheus
linux: linux | unix | shell script | bash | 命令行 | command line | ubuntu | debian
networking: networking | tcp | tcp/ip | http/2 | dns | 网络协议 | 计算机网络 | nat gateway | load balancer | 负载均衡
security: ~security | cybersecurity | infosec | 网络安全 | 信息安全 | penetration testing | 渗透测试 | セキュリティ
privacy: privacy | 隐私 | data protection | gdpr | 个人信息保护
crypto: crypto | cryptocurrency | bitcoin | btc | ethereum | blockchain | web3 | nft | defi | 加密货币 | 数字货币 | 比特币 | 以太坊 | 区块链 | 币圈 | 暗号資産 | 仮想通貨
embedded: embedded | embedded system | iot | internet of things | arduino | raspberry pi | esp32 | microcontroller | 树莓派 | 嵌入式 | 物联网 | 单片机
electronics < hardware: electronics | electronic | electronics diy | circuit | soldering | pcb | oscilloscope | multimeter | 电子 | 电子制作 | 电路 | 焊接 | 万用表 | 電子工作
hardware: hardware | 硬件 | ハードウェア
open-source: open source | open-source | oss | 开源 | 开源项目 | オープンソース
performance: ~performance | latency | throughput | 性能 | 性能优化 | 调优 | パフォーマンス
profiling < performance: profiling | profiler | perfetto | systrace | flame graph | 火焰图 | 性能分析 | trace analysis
app-startup < performance mobile: cold start | app startup | startup time | launch time | 冷启动 | 启动优化 | 启动速度 | 启动时间 | 起動時間 | 起動高速化
jank < performance mobile: jank | stutter | dropped frame | frame drop | 卡顿 | 卡顿分析 | 掉帧 | 流畅度
load-testing < performance: load testing | load test | stress test | 压测 | 压力测试 | 負荷試験
migration: migration | migrating | migrate | migrated | cutover | 割接 | 系统迁移 | 数据迁移 | ~upgrade | 迁移 | ~升级 | 移行

# --- software craft
programming: programming | 程式设计 | 写程式 | coding | software development | 编程 | 写代码 | 程序员 | プログラミング | プログラマー
software-engineering: software engineering | 软体工程 | 软件工程 | code review | 代码审查 | refactoring | 重构 | clean code | technical debt | 技术债 | 技術的負債
testing: testing | software testing | quality assurance | =qa | ~测试 | 质量保障 | unit test | 单元测试 | テスト
test-automation < testing: test automation | automated testing | 自动化测试 | cypress | selenium | playwright | e2e test | end-to-end test | テスト自動化
release-management: release management | release engineering | release discipline | release process | release manager | 发布管理 | 版本发布 | 上线流程 | change management | リリース管理
documentation: documentation | technical writing | 技术文档 | ~文档 | 技术写作 | ドキュメント
developer-tools: developer tooling | developer tool | dev tool | devtools | =tooling | 开发工具 | 开发者工具 | 開発ツール
editors < developer-tools: =ide | vim | neovim | emacs | vscode | vs code | jetbrains | intellij | text editor | 编辑器 | エディタ
functional-programming < programming: functional programming | 函数式编程 | 関数型プログラミング | haskell | ocaml | elixir | erlang | f#
lisp < functional-programming: lisp | common lisp | scheme | clojure | racket | elisp | emacs lisp
productivity: productivity | ~效率 | 效率工具 | time management | 时间管理 | gtd | 生产力 | 生産性
algorithms: algorithm | 算法 | data structure | 数据结构 | leetcode | 刷题 | アルゴリズム | big-o
competitive-programming < algorithms: competitive programming | 算法竞赛 | 编程竞赛 | noip | noi | ioi | icpc | acm-icpc | codeforces | atcoder | 信息学竞赛 | 信息学奥赛 | 信奥 | olympiad in informatics | 競技プログラミング | 竞赛编程
math: mathematics | math | maths | 数学 | 数学建模 | 数学者 | statistics | 统计学 | 統計

# --- AI and data
ai: ai | artificial intelligence | 人工智能 | ai tool | aigc | 人工知能 | =a.i. | 生成式ai | generative ai | genai | ai工具
machine-learning < ai: machine learning | =ml | 机器学习 | 機器學習 | 機械学習 | deep learning | 深度学习 | neural network | 神经网络 | 算法工程师 | ml engineer | pytorch | tensorflow | ディープラーニング
llm < ai: llm | large language model | 大模型 | 大语言模型 | 語言模型 | 大規模言語モデル | chatgpt | gpt | gpt-4 | gpt-4o | openai | 语言模型 | 通义千问 | deepseek | 文心一言 | ollama
ai-coding < llm developer-tools: ai pair programming | ai coding | llm coding | coding with llm | coding agent | coding assistant | ai assistant | github copilot | copilot | ai编程 | ai 辅助编程 | vibe coding | code generation | 代码生成 | ai-assisted coding
ai-agent < llm: ai agent | llm agent | agentic | autonomous agent | 智能体 | coding agent | エージェント
prompt-engineering < llm: prompt engineering | prompting | 提示工程 | 提示词 | prompt工程 | プロンプト
rag < llm: rag | retrieval augmented generation | retrieval-augmented generation | 检索增强 | 向量数据库 | vector database
nlp < machine-learning: nlp | natural language processing | 自然语言处理 | 自然言語処理
computer-vision < machine-learning: computer vision | 计算机视觉 | image recognition | 图像识别
data-science: data science | data analysis | data analytics | 数据分析 | 数据科学 | pandas | jupyter | データ分析
data-engineering: data engineering | data pipeline | etl | data warehouse | 数据仓库 | 数仓 | spark | flink | 大数据 | big data

# --- work, careers, companies
career: career | 职业 | 职业发展 | 职业规划 | 职涯 | 职业生涯 | 职涯发展 | career change | 转行 | job hunting | 求职 | 找工作 | 跳槽 | job search | キャリア | 転職
contracting < career: contracting | contractor | freelance | freelancing | freelancer | 外包 | 驻场 | 外派 | 自由职业 | consulting | consultant | フリーランス
hiring: hiring | recruiting | recruitment | recruiter | 招聘 | 招人 | talent acquisition | headcount | 採用
interviewing < hiring: interview | interviewing | interviewer | technical interview | coding interview | 面试 | 面试官 | 技术面试 | 面接
engineering-management: engineering management | engineering manager | 技术管理 | 研发管理 | tech lead | team lead | 团队管理 | 带团队 | マネジメント | =management
team-building < engineering-management: team building | 团队建设 | team culture | 团队文化
leadership: leadership | 领导力 | リーダーシップ
mentoring: mentoring | mentorship | ~mentor | 导师 | 带新人 | メンター
diversity: women in tech | 女性工程师 | 女性技术人 | diversity and inclusion | diversity in tech | 多样性
remote-work: remote work | remote job | 远程办公 | 远程工作 | wfh | work from home | digital nomad | 数字游民 | リモートワーク
distributed-teams: time zone | across time zones | 时差 | 跨时区 | distributed team | offshore team | 海外团队
product-management: product management | product manager | 产品经理 | 做产品 | 产品设计 | 产品思维 | =pm | プロダクトマネージャー | user research | 用户研究
growth: ~growth | growth hacking | 增长 | 用户增长 | 增长黑客 | user acquisition | 拉新 | 留存 | retention | グロース
community: ~community | community building | online community | 社群 | 社群运营 | ~社区 | 社区运营 | 社群管理 | コミュニティ
wechat-group < community wechat: wechat group | 微信群 | 技术群 | 微信交流群 | 微信社群
wechat: wechat | weixin | 微信 | 公众号 | 公眾號
networking-people: networking | 人脉 | 人際關係 | 人际关系 | 社交圈 | professional network | keep in touch | 老朋友 | old friend | 人脈
content-ops: content operation | 内容运营 | content marketing | 内容营销 | content creation | 内容创作 | 自媒体 | creator economy | newsletter
knowledge-payment < content-ops: 知识付费 | paid knowledge | paid course | online course | 在线课程 | 网课 | 知识直播 | knowledge live-streaming | 在线教育 | online education | edtech
live-streaming: live streaming | live broadcast | live broadcasting | live-broadcast | live-streaming | livestream | live stream | 直播 | 网络直播 | 直播间 | 主播 | ライブ配信
short-video: short video | 短视频 | douyin | 抖音 | tiktok | kuaishou | 快手 | 视频号
social-media: social media | 社交媒体 | twitter | weibo | 微博 | 小红书 | xiaohongshu | instagram | youtube | bilibili | b站
startup: startup | start-up | 创业 | 初创 | 初创公司 | 创业公司 | founder | co-founder | cofounder | 创始人 | 联合创始人 | entrepreneurship | entrepreneur | 起業 | スタートアップ
fundraising < startup: fundraising | angel round | angel investor | angel investment | seed round | venture capital | =vc | 融资 | 天使轮 | 天使投资 | 投资人 | 风投 | 风险投资 | series a | 投資家
saas: saas | software as a service | b2b software | 企业服务 | to b | tob
consumer-internet: consumer internet | 互联网 | 移动互联网 | c端 | to c | toc | consumer app
going-global: 出海 | going global | overseas expansion | international expansion | 海外市场 | 海外展開
postmortem: post-mortem | postmortem | retrospective | 复盘 | ~回顾 | retro | lessons learned | lesson learned | 事后分析 | 振り返り | ~looking back
banking < finance-industry: banking | bank | banking technology | 银行 | 银行业 | 銀行 | core banking
fintech < finance-industry: fintech | 金融科技 | financial technology | 互联网金融
finance-industry: finance industry | financial services | 金融 | 金融业 | wall street | 华尔街
payments < fintech: payment | 支付 | payment system | 清算 | 收单 | 第三方支付 | 決済
insurance: insurance | insurer | 保险 | 保険
regulation: regulation | compliance | regulatory | 合规 | 监管 | 規制
operational-resilience < banking: operational resilience | business continuity | disaster recovery | 容灾 | 业务连续性
hsbc < banking: hsbc | 汇丰 | 滙豐 | 汇丰银行
standard-chartered < banking: standard chartered | 渣打
citi < banking: citibank | citigroup | 花旗
jpmorgan < banking: jpmorgan | jp morgan | 摩根大通
goldman-sachs < banking: goldman sachs | 高盛
alibaba: alibaba | 阿里巴巴 | 阿里 | taobao | 淘宝 | alipay | 支付宝 | ant group | 蚂蚁集团
tencent: tencent | 腾讯 | 騰訊
bytedance: bytedance | 字节跳动 | 字节
huawei: huawei | 华为 | harmonyos | 鸿蒙
xiaomi: xiaomi | 小米
baidu: baidu | 百度
google: google | 谷歌
microsoft: microsoft | 微软
amazon: amazon | 亚马逊
apple-inc: apple inc | 苹果公司 | =apple
meituan: meituan | 美团
pinduoduo: pinduoduo | 拼多多 | temu
jd: jd.com | 京东

software-architecture: software architecture | system design | 系统设计 | 架构设计 | 软件架构 | 架构师 | architect | domain-driven design | ddd | 领域驱动 | アーキテクチャ | 設計
git: git | github | gitlab | version control | 版本控制 | pull request | merge request | 代码仓库
web-servers < backend: nginx | apache httpd | web server | reverse proxy | 反向代理 | 网关 | api gateway
authentication < security: authentication | oauth | single sign-on | sso | 登录认证 | 身份认证 | 鉴权 | 権限管理
https < security networking: https | tls | ssl certificate | lets encrypt
debugging: debugging | debugger | 调试 | 排查问题 | 排障 | troubleshooting | デバッグ
web-scraping: web scraping | scraper | crawler | 爬虫 | 网络爬虫 | スクレイピング
static-sites < blogging: static site | static site generator | 静态网站 | 静态博客 | hugo | jekyll | github pages
seo: seo | search engine optimization | 搜索引擎优化 | google search console
notes-apps < productivity: notion | obsidian | evernote | 印象笔记 | 笔记软件 | note-taking | note taking | roam research | logseq | 双链笔记 | zettelkasten | 卡片笔记
mac: macos | mac | macbook | 苹果电脑 | mac 电脑 | homebrew
windows-os: windows | wsl | 微软系统
mechanical-keyboards < gadgets: mechanical keyboard | 机械键盘 | 客制化键盘 | keycaps | 键帽 | メカニカルキーボード
audio < gadgets: hi-fi | hifi | audiophile | 音响 | 耳放 | 播放器 | dac
ereaders < books gadgets: kindle | e-reader | ereader | 电子书 | 电纸书 | 墨水屏 | 電子書籍
smartphones < gadgets: smartphone | 手机 | 智能手机 | iphone | pixel | スマホ
robotics: robotics | robot | 机器人 | ロボット | ros
autonomous-driving < cars machine-learning: autonomous driving | self-driving | 自动驾驶 | 智能驾驶 | 自動運転
chips < hardware: semiconductor | 芯片 | 半导体 | 集成电路 | 半導体 | risc-v
space: spacex | rocket | 航天 | 火箭 | 卫星 | satellite | astronaut | 宇宙
vr-ar: virtual reality | augmented reality | vr | ar glasses | 虚拟现实 | 增强现实 | vision pro | 元宇宙 | metaverse
ai-images < ai: stable diffusion | midjourney | ai art | ai绘画 | ai 绘画 | 文生图 | text-to-image | 画像生成
speech < machine-learning: speech recognition | 语音识别 | text to speech | tts | 语音合成 | whisper | 音声認識
translation: translation | translator | 翻译 | 机器翻译 | machine translation | 翻訳 | localization | 本地化 | i18n
e-commerce: e-commerce | ecommerce | 电商 | 网店 | online shop | shopify | 淘宝店 | 跨境电商 | cross-border e-commerce
logistics: logistics | supply chain | 物流 | 供应链 | 快递 | warehouse
side-projects < startup: side project | 副业 | 独立开发 | indie hacker | indie developer | 个人开发者 | solopreneur | 個人開発
layoffs < career: layoff | laid off | 裁员 | 被裁 | リストラ
overtime < career: overtime | 996 | 加班 | work-life balance | 工作与生活平衡 | 残業
resume < career: resume | 简历 | 履歴書 | portfolio site
salary < career: salary | compensation | 薪资 | 工资 | 涨薪 | 谈薪 | 年薪 | 年収
public-speaking: public speaking | 演讲 | 技术分享 | 分享会 | talk slides | keynote | プレゼン
conferences < community: ~conference | tech conference | meetup | 技术大会 | 沙龙 | 线下活动 | hackathon | 黑客马拉松 | 勉強会
okr < engineering-management: okr | kpi | 绩效 | performance review | 考核 | 目标管理
self-taught < education: self-taught | self taught | 自学 | 自学成才 | 自学编程 | bootcamp | 培训班 | 独学
university < education: university | college | 大学 | 本科 | 研究生 | 考研 | phd | 博士 | master's degree | 硕士
moocs < knowledge-payment: coursera | mooc | edx | udemy | 慕课 | 网易云课堂 | 极客时间

# --- money
personal-finance: personal finance | 个人理财 | 理财 | money management | 家庭理财 | 财务自由 | financial independence | お金の管理
budgeting < personal-finance: 记账 | 预算 | expense tracking | 家計簿 | 家计簿 | 记账本 | spending tracker
frugality < personal-finance: 省钱 | saving money | frugal | frugality | 节俭 | 节约 | 節約 | thrift
investing < personal-finance: investing | investment | invest | investor | 投资 | 投資 | portfolio | 资产配置 | asset allocation | 理财产品 | 資産運用
index-fund < investing: index fund | 指数基金 | etf | 指数投资 | index investing | 沪深300 | 标普500 | 标普 | s&p 500 | s&p500 | インデックスファンド | passive investing | vanguard | 宽基
dca < investing: dca | dollar cost averaging | dollar-cost averaging | 定投 | 基金定投 | 定期定额 | 积立 | 積立投資 | 積立 | regular investing
stocks < investing: stock market | 股票 | 炒股 | 股市 | stock market | equities | 株式 | 美股 | a股 | 港股
mutual-funds < investing: mutual fund | 基金 | 公募基金 | 私募基金 | 投資信託
quant < investing: quant | quantitative trading | quantitative finance | 量化 | 量化交易 | 量化投资 | quant fund | quant developer | hedge fund | 对冲基金 | クオンツ
real-estate < investing: real estate | 房地产 | 买房 | 房价 | housing market | 不動産 | 楼市
retirement < personal-finance: retirement | 退休 | 提前退休 | pension | 养老金 | fire movement | 年金
tax < personal-finance: =tax | taxes | tax return | 个税 | 报税 | 税务 | 確定申告
economics: economics | 经济 | 经济学 | macroeconomics | 宏观经济 | 経済

# --- health and body
health: ~health | 健康 | wellness | 健康管理 | 养生 | 養生 | 健康法
eyesight < health: eyesight | eye health | vision improvement | vision recovery | vision training | 视力 | 护眼 | 视力恢复 | 视力训练 | 視力 | 視力回復 | eye strain | 用眼
myopia < eyesight: myopia | nearsighted | nearsightedness | short-sighted | short-sightedness | 近视 | 近視 | 近视眼 | 近视矫正 | myopia reversal | reduced lens | 降度眼镜 | 减度眼镜 | endmyopia | print-pushing | 度数
optometry < eyesight: optometry | optometrist | ophthalmology | ophthalmologist | 视光 | 视光学 | 视光师 | 验光 | 眼科 | 眼科医生 | 配镜 | contact lens | 隐形眼镜 | 眼镜
self-experiment < quantified-self: self-experimentation | self-experiment | self experiment | n=1 | 自我实验 | 自己实验 | 人体实验 | biohacking
quantified-self: quantified self | self-tracking | self tracking | 量化自我 | 自我量化 | sleep tracking | 健康数据
fitness < health: fitness | workout | gym | 健身 | 锻炼 | strength training | 力量训练 | 撸铁 | 筋トレ | 运动健身
running < fitness sports: running | marathon | 跑步 | 马拉松 | jogging | 慢跑 | ランニング | half marathon | ultramarathon | 越野跑
cycling < sports: cycling | bicycle | 骑行 | 自行车 | 单车 | サイクリング | road bike | 公路车
swimming < sports: swimming | 游泳 | 水泳
yoga < fitness: yoga | 瑜伽 | 瑜珈 | ヨガ | pilates | 普拉提
sleep < health: ~sleep | 睡眠 | insomnia | 失眠 | 早起 | 作息
diet < health: diet | nutrition | 饮食 | 营养 | 减肥 | weight loss | 减脂 | intermittent fasting | 断食 | 轻断食 | ダイエット
mental-health < health: mental health | 心理健康 | anxiety | 焦虑 | depression | 抑郁 | burnout | 倦怠 | 职业倦怠 | メンタルヘルス
mindfulness: meditation | mindfulness | 冥想 | 正念 | 瞑想 | マインドフルネス
medicine < health: medicine | medical | 医疗 | 医学 | 医生 | hospital | 医院 | 病院 | 医者 | clinic | 诊所
dentistry < medicine: dentist | dental | 牙医 | 口腔 | 牙科 | 歯科
emf < health measurement: emf | electromagnetic field | electromagnetic radiation | electromagnetic | emf meter | 电磁辐射 | 电磁波 | 电磁场 | 辐射检测 | 電磁波 | radiation exposure
measurement: ~measurement | measuring | 测量 | 检测仪 | 测试仪 | 計測

# --- learning and languages
education: education | 教育 | teaching | 教学 | teacher | ~老师 | 教师 | 教師 | ~school | 学校 | 教育学 | classroom | 课堂
language-learning: language learning | learning language | 语言学习 | 学外语 | 外语 | 外语学习 | 外国語 | 語学 | 語学学習 | polyglot | second language | 多语言 | 学语言
language-exchange < language-learning: language exchange | 语言交换 | 语伴 | tandem partner | 語学交換 | 言語交換 | 相互学習
language-teaching < language-learning education: language teaching | language tutor | language tutoring | 语言教学 | 语言老师 | 日本語教育 | 日本語教師 | 对外汉语 | 汉语教学 | 中文教学 | tefl | tesol | english teacher | 英语老师
pronunciation < language-learning: pronunciation | accent | 发音 | 口音 | phonetics | 発音 | speaking practice | 口语 | 口語 | pronunciation coaching
english-language < language-learning: english | 英语 | 英文 | 英語 | learning english | 学英语 | 英语学习 | 英語学習 | esl | efl
english-exams < english-language: english test | 英语考试 | cambridge english | band score | band descriptor
ielts < english-exams: ielts | 雅思 | アイエルツ
toefl < english-exams: toefl | 托福 | トーフル
japanese-language < language-learning: japanese | 日本語教師 | 日语 | 日文 | 日本語 | 日语学习 | jlpt | 日语能力考 | 日本語能力試験 | hiragana | katakana | 平假名 | 片假名 | 五十音 | keigo | 敬语 | 敬語 | 日本語教育 | kanji | 漢字
chinese-language < language-learning: mandarin | chinese language | learning chinese | 中文学习 | 学中文 | 汉语 | 漢語 | 普通话 | 中国語 | hsk | pinyin | 拼音 | 对外汉语
cantonese < chinese-language: cantonese | 粤语 | 廣東話 | 广东话 | 粵語 | 白话
korean-language < language-learning: korean language | learning korean | 韩语 | 韓国語 | 한국어 | hangul | topik
french-language < language-learning: french | 法语 | 法語 | フランス語 | français
german-language < language-learning: german | 德语 | 德語 | ドイツ語 | deutsch
spanish-language < language-learning: spanish | 西班牙语 | スペイン語 | español
study-abroad: study abroad | studying abroad | 留学 | 出国留学 | 留学生 | 留学申请 | overseas study | 留学準備 | gre | gmat
exams: ~exam | 考试 | 备考 | 試験 | test prep | 考证 | 资格考试 | 高考 | gaokao | 考研
writing: ~writing | 写作 | essay writing | 作文 | ライティング | copywriting | 文案
blogging < writing: blogging | ~blog | 博客 | 写博客 | ブログ | 个人网站 | personal website
books: ~book | 读书 | 阅读 | 看书 | 书单 | 读书会 | book club | book review | 书评 | 読書 | 读书笔记 | book notes | 阅读笔记 | 好书 | nonfiction | 非虚构
history: ~history | historical | historian | 历史 | 历史学 | 歴史 | 史学 | 古代史 | world history | 世界史 | 近代史 | ancient history
silk-road < history: silk road | 丝绸之路 | 絲綢之路 | シルクロード | 丝路 | silk roads
museums < history: museum | 博物馆 | 博物館 | 展览 | 看展 | exhibition | 美术馆
philosophy: philosophy | 哲学 | stoicism | 斯多葛 | 哲学書
psychology: psychology | 心理学 | 心理學
science: science | 科学 | physics | 物理 | chemistry | 化学 | biology | 生物学 | astronomy | 天文 | 科普 | popular science

# --- leisure and everyday life
travel: travel | traveling | travelling | ~trip | 旅行 | 旅游 | 出游 | 游记 | backpacking | 背包客 | 穷游 | tourism | 観光 | itinerary | 行程
road-trip < travel cars: road trip | road-trip | 自驾 | 自驾游 | 自驾车 | driving trip | ドライブ旅行 | overlanding | 房车 | campervan | self-drive
travel-gear < travel gadgets: travel gear | packing list | 装备清单 | 旅行装备 | 户外装备 | 行李清单 | 旅行用品
outdoors: ~outdoor | 户外 | アウトドア | wilderness
hiking < outdoors: hiking | ~hike | trekking | 徒步 | 户外徒步 | 爬山 | 登山 | mountaineering | 远足 | 行山 | 健行 | 登山健行 | ハイキング | 山歩き
camping < outdoors: camping | 露营 | キャンプ | campsite | ~tent | 帐篷
fishing < outdoors: fishing | 钓鱼 | 釣り | angling | 路亚
photography: photography | 摄影 | 拍照 | ~camera | 相机 | 写真 | 摄影师 | photographer | lightroom | 胶片 | film photography | カメラ | 镜头
street-photography < photography: street photography | 街拍 | 街头摄影 | スナップ写真
video-making < photography: videography | vlog | 视频剪辑 | video editing | 拍视频 | drone | 无人机 | 航拍
cars: ~car | 汽车 | automobile | 开车 | 驾驶 | electric vehicle | 电动车 | 新能源车 | tesla | 特斯拉 | 自動車
gadgets: gadget | ~装备 | ~gear | 数码 | 数码产品 | 数码评测 | 电子产品 | tech review | gear review | ガジェット | gizmo | dashcam | 行车记录仪 | power bank | 充电宝 | 户外电源 | smartwatch | 智能手表 | headphones | 耳机
cooking: cooking | 做饭 | 烹饪 | 下厨 | recipe | 菜谱 | 料理 | home cooking | 家常菜 | 自炊
food: ~food | 美食 | 吃货 | foodie | 探店 | restaurant | 餐厅 | グルメ | 小吃
cha-chaan-teng < food: 茶餐厅 | 茶餐廳 | cha chaan teng | hong kong cafe | 港式茶餐厅
baking < cooking: baking | bake | 烘焙 | 烤面包 | 蛋糕 | bread | sourdough | 製菓 | パン作り | 甜点 | dessert
coffee: coffee | 咖啡 | espresso | pour-over | 手冲 | 手冲咖啡 | コーヒー | latte | barista
tea: tea | 喝茶 | 茶叶 | 茶道 | 品茶 | 功夫茶 | お茶 | 普洱 | 红茶 | 绿茶 | oolong | 乌龙茶
beer: beer | craft beer | 啤酒 | 精酿 | 精酿啤酒 | home brewing | homebrewing | homebrew | 自酿 | 酿酒 | ビール | brewery | 酒吧 | pub
wine: wine | 葡萄酒 | 红酒 | sommelier | ワイン | whisky | whiskey | 威士忌
music: ~music | 音乐 | 音楽 | guitar | 吉他 | piano | 钢琴 | concert | 演唱会 | 乐队 | musician | 唱歌
traditional-music < music: 古琴 | guqin | 古筝 | guzheng | 二胡 | erhu | 民乐 | 琵琶 | pipa | chinese traditional music | 国乐
calligraphy: calligraphy | 书法 | 書道 | 毛笔字 | 练字 | 硬笔
art: painting | 绘画 | 画画 | 美术 | drawing | 素描 | 水彩 | watercolor | 油画 | illustration | 插画 | 絵画 | イラスト | art gallery | 艺术
design: ui design | ~ux | ux design | user experience | 交互设计 | 视觉设计 | 平面设计 | graphic design | デザイン | typography | 字体
gardening: gardening | garden | 园艺 | 种花 | 养花 | 多肉 | houseplant | 植物 | ガーデニング | 家庭菜园 | 种菜
movies: movie | ~film | 电影 | cinema | 映画 | 影评 | documentary | 纪录片
tv-drama: tv series | tv show | drama series | 电视剧 | 追剧 | 美剧 | 日剧 | 韩剧 | k-drama | kdrama | j-drama | ドラマ | 综艺 | 剧集
anime: anime | 动漫 | 动画 | 二次元 | manga | 漫画 | アニメ | 番剧
games: video game | ~gaming | gamer | 游戏 | 网游 | 主机游戏 | steam | nintendo | playstation | xbox | ゲーム | esports | 电竞 | 打游戏
mobile-games < games: mobile game | 手游 | 手机游戏 | スマホゲーム
game-development < games: game development | gamedev | 游戏开发 | unity | unreal engine | ゲーム開発 | 游戏引擎
board-games: board game | 桌游 | chess | 国际象棋 | 围棋 | 象棋 | weiqi | ボードゲーム | 将棋 | shogi | mahjong | 麻将
sports: ~sport | 运动 | 体育 | スポーツ | athletics
badminton < sports: badminton | 羽毛球 | バドミントン
basketball < sports: basketball | =nba | nba | 篮球 | cba | バスケ
football < sports: football | soccer | premier league | 英超 | 中超 | 足球 | 世界杯 | world cup | サッカー | champions league | 欧冠
tennis < sports: tennis | 网球 | テニス
table-tennis < sports: table tennis | ping pong | 乒乓球 | 卓球
pets: ~pet | 宠物 | 猫咪 | 养猫 | 狗狗 | 养狗 | ペット | 柯基 | kitten | puppy
parenting: parenting | 育儿 | 带娃 | 亲子 | 子育て | 宝宝 | 儿童教育 | 孩子教育 | toddler | newborn | 新生儿
family: ~family | 家庭 | 家人 | marriage | 婚姻 | wedding | 婚礼 | 家族
diy: diy | 手工 | maker | 创客 | woodworking | 木工 | 3d printing | 3d打印 | 手作り
home: home improvement | ~renovation | 装修 | interior design | 家装 | 室内设计 | smart home | 智能家居 | 收纳 | インテリア
minimalism: minimalism | minimalist | 极简 | 极简主义 | 断舍离 | ミニマリスト | 断捨離
volunteering: volunteering | volunteer | 志愿者 | 公益 | charity | nonprofit | non-profit | ngo | ボランティア
fashion: fashion | 穿搭 | 时尚 | ファッション | streetwear
religion: religion | 宗教 | buddhism | 佛教 | christianity | 基督教

habits < productivity: habit | 习惯 | streak | 打卡 | 習慣
self-improvement: self-improvement | personal growth | 个人成长 | 自我提升 | 自己啓発
vocabulary-learning < language-learning: vocabulary | 背单词 | 单词 | anki | spaced repetition | 间隔重复 | 词汇 | 単語
podcasts: podcast | 播客 | ポッドキャスト | audiobook | 有声书
sci-fi < books: science fiction | sci-fi | 科幻 | 三体 | three-body
novels < books: fiction | 小说 | 文学 | literature | 小説
poetry < books: poetry | poem | 诗词 | 唐诗 | 宋词
classical-chinese < history: classical chinese | 古文 | 文言文 | 国学 | 论语 | 诸子百家
chinese-history < history: chinese history | 中国历史 | 中国史 | 三国 | 唐朝 | 宋朝 | 明朝 | 清朝 | 秦汉 | dynasty | 王朝
world-war < history: world war | wwii | ww2 | 二战 | 第二次世界大战 | 一战 | 抗战
roman-history < history: roman empire | ancient rome | 罗马帝国 | 古罗马 | spqr | byzantine | 拜占庭
geography: geography | 地理 | maps | 地图 | 地理学
skiing < sports: skiing | ski | snowboard | 滑雪 | 单板 | スキー
surfing < sports: surfing | 冲浪 | サーフィン
diving < sports: scuba | freediving | 潜水 | 自由潜 | ダイビング
climbing < sports outdoors: rock climbing | bouldering | 攀岩 | 抱石 | ボルダリング
martial-arts < sports: martial arts | kung fu | 武术 | 功夫 | 太极 | tai chi | 拳击 | boxing | 空手 | judo | 柔道
thailand < travel: thailand | 泰国 | bangkok | 曼谷 | chiang mai | 清迈 | タイ
vietnam < travel: vietnam | 越南 | hanoi | 河内 | ho chi minh | ベトナム
malaysia < travel: malaysia | 马来西亚 | kuala lumpur | 吉隆坡 | penang | 槟城
hainan: hainan | 海南 | sanya | 三亚
chongqing: chongqing | 重庆
xian: xi'an | xian | 西安
hot-pot < food: hot pot | hotpot | 火锅 | 火鍋
dim-sum < food: dim sum | 早茶 | 饮茶 | 点心 | 飲茶 | yum cha
cantonese-food < food: cantonese food | cantonese cuisine | 粤菜 | 广东菜 | 煲仔饭 | 烧腊
barbecue < food: barbecue | bbq | 烧烤 | 烤肉 | 焼肉
neck-back < health: neck pain | back pain | 颈椎 | 颈椎病 | 腰椎 | 腰痛 | posture | 坐姿 | ergonomics | 人体工学 | 肩こり
hair < health: hair loss | 脱发 | 掉发 | 防脱 | 薄毛
skincare < health: skincare | skin care | 护肤 | 防晒 | sunscreen | スキンケア
tcm < medicine: traditional chinese medicine | tcm | 中医 | 中药 | 针灸 | acupuncture | 漢方
covid < medicine: covid | covid-19 | coronavirus | 新冠 | 疫情 | pandemic | lockdown | 封控 | コロナ
allergy < medicine: allergy | allergies | 过敏 | 鼻炎 | 花粉症 | hay fever
visa: visa | 签证 | ビザ | work permit | 工签
immigration: immigration | emigrate | 移民 | green card | 绿卡 | permanent residence | 永住
karaoke < music: karaoke | ktv | 唱k | カラオケ

# --- shared history: words people use for what they did together
project: project | 项目 | 专案 | プロジェクト
hackathon < conferences: hackathon | 黑客松 | ハッカソン
classmates < education: classmate | alumni | 同学 | 同學 | 校友 | 同窓
bootcamp < self-taught: 训练营 | 培训营
coworking: coworking | co-working | 联合办公 | 共享办公 | wework

# --- places
china: china | 中国 | 中國
guangzhou < guangdong: guangzhou | canton | 广州 | 廣州 | tianhe | 天河
shenzhen < guangdong: shenzhen | 深圳 | huaqiangbei | 华强北
guangdong: guangdong | 广东 | 廣東
foshan < guangdong: foshan | 佛山
hong-kong: hong kong | 香港 | hk
macau: macau | macao | 澳门
guangxi: guangxi | 广西 | guilin | 桂林 | yangshuo | 阳朔 | beihai | 北海
yunnan: yunnan | 云南 | kunming | 昆明 | dali | 大理 | lijiang | 丽江
sichuan: sichuan | 四川 | chengdu | 成都
beijing: beijing | peking | 北京
shanghai: shanghai | 上海
hangzhou: hangzhou | 杭州
changsha: changsha | 长沙 | hunan | 湖南
wuhan: wuhan | 武汉 | hubei | 湖北
xinjiang: xinjiang | 新疆 | urumqi | 乌鲁木齐
tibet: tibet | 西藏 | lhasa | 拉萨
taiwan: taiwan | 台湾 | 臺灣 | taipei | 台北
japan: japan | 日本 | tokyo | 东京 | 東京 | osaka | 大阪 | kyoto | 京都
korea: korea | south korea | 韩国 | 韓国 | seoul | 首尔
singapore: singapore | 新加坡
central-asia: central asia | 中亚 | persia | 波斯 | iran | 伊朗 | samarkand | 撒马尔罕 | 中央アジア
europe: europe | 欧洲 | ヨーロッパ
usa: united states | usa | 美国 | america | silicon valley | 硅谷 | アメリカ
uk: united kingdom | britain | england | 英国 | london | 伦敦 | イギリス
"""

PLACES = _section("places")
"""Concepts that are places. In prose notes a city mostly says where someone lives or goes
('visits Guangzhou sometimes'), not that a road trip from there is for them."""
